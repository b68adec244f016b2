// The one list of image formats the bot and the command line take. The engine's decoder, the chat
// platforms' declared types (MIME types, Slack's file types) and every message that names the formats
// derive from it. Kept to what a chat upload commonly is: each further decoder (TIFF, AVIF/HEIF...) is
// more untrusted parsing for little use.

export const ACCEPTED_FORMATS = [
  // 'image/jpg' is not a registered type, but some clients declare it for JPEG files.
  { id: 'jpeg', name: 'JPEG', mimeTypes: ['image/jpeg', 'image/jpg'], fileTypes: ['jpg', 'jpeg'] },
  { id: 'png', name: 'PNG', mimeTypes: ['image/png'], fileTypes: ['png'] },
  { id: 'webp', name: 'WebP', mimeTypes: ['image/webp'], fileTypes: ['webp'] },
  { id: 'gif', name: 'GIF', mimeTypes: ['image/gif'], fileTypes: ['gif'] },
] as const;

/** An accepted format, by the name sharp's metadata gives it. */
export type AcceptedFormat = (typeof ACCEPTED_FORMATS)[number]['id'];

/** Formats recognised by their signature and refused by name ("The photo is a TIFF file..."). */
export type RefusedFormat = 'tiff' | 'avif' | 'heic' | 'jpeg2000' | 'pdf' | 'postscript' | 'bmp' | 'photoshop' | 'icon' | 'jpeg-xl' | 'gzip' | 'svg';

/** Every declared MIME type of an accepted format, lower case. */
export const ACCEPTED_MIME_TYPES: readonly string[] = ACCEPTED_FORMATS.flatMap((format) => format.mimeTypes);

/** File extensions of the accepted formats (what Slack's file inputs filter on). */
export const ACCEPTED_FILE_TYPES: readonly string[] = ACCEPTED_FORMATS.flatMap((format) => format.fileTypes);
