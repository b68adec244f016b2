// What users read, in one place: the message catalogue, the user-facing error type, the formats of
// numbers and the list of accepted image formats. A leaf: it imports nothing else of the project, so that
// every layer (engine, queue, adapters, commands) can use it.
export type { DeliveryHitch, MessageKey, StyleMention, PlainMessageKey, UserErrorCode, UserProblem } from './catalogue.js';
export { ACCEPTED_FILE_TYPES, ACCEPTED_FORMATS, ACCEPTED_MIME_TYPES } from './formats.js';
export type { AcceptedFormat, RefusedFormat } from './formats.js';
export { isLocale, localeFrom } from './locale.js';
export { say, tell } from './say.js';
export { formatBytes, formatDuration, formatMegapixels, progressBar } from './units.js';
export { UserError } from './user-error.js';
export type { AdminCommandPart, BrushSize, ChannelPermission, ColourMode, CommandOption, ImageRole, Locale, PlatformName, PresetName, StyleRole } from './vocabulary.js';
export { DEFAULT_LOCALE, LOCALES, STYLE_ROLES, styleRole } from './vocabulary.js';
