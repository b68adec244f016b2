// The accepted image formats as chat platforms declare them (MIME types, file types), from the one list in
// src/wording/formats.ts. A declared type outside the list is refused before any download; the bytes are
// still checked after it.
import { ACCEPTED_MIME_TYPES } from '../../wording/index.js';

const MIME_TYPES: ReadonlySet<string> = new Set(ACCEPTED_MIME_TYPES);

/** Whether a declared content type ("image/png; charset=..." included) is one of the accepted formats. */
export function isAcceptedMimeType(declared: string | null | undefined): boolean {
  const type = declared?.split(';')[0]?.trim().toLowerCase();
  return type !== undefined && MIME_TYPES.has(type);
}
