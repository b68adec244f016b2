// The accepted image formats as chat platforms declare them (MIME types), beside the one list users read.
// A declared type outside the list is refused before any download; the bytes are still checked after it.
import { ACCEPTED_FORMATS_TEXT } from '../../transfer/index.js';

export { ACCEPTED_FORMATS_TEXT };

// 'image/jpg' is not a registered type, but some clients declare it for JPEG files.
const ACCEPTED_MIME_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/jpg', 'image/png', 'image/webp', 'image/gif']);

/** Whether a declared content type ("image/png; charset=..." included) is one of the accepted formats. */
export function isAcceptedMimeType(declared: string | null | undefined): boolean {
  const type = declared?.split(';')[0]?.trim().toLowerCase();
  return type !== undefined && ACCEPTED_MIME_TYPES.has(type);
}

/** The refusal for a file whose declared type is not accepted; `who` names it ("The photo (cat.tif)"). */
export function notAcceptedFormat(who: string): string {
  return `${who} is not a ${ACCEPTED_FORMATS_TEXT} picture, the formats the bot takes. Please choose one of those.`;
}
