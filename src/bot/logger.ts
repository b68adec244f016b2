// The bot's structured logger (pino, JSON lines on stdout). Errors from discord.js, Bolt and undici carry
// request URLs in their messages, and those can hold an interaction token, a signed attachment address or
// a Slack token: every line is scrubbed as it is written, so no call site has to remember to.
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/**
 * Secret-shaped text and what replaces it. The patterns run on the serialized JSON line, so they stop at a
 * backslash (a JSON escape such as \" around a quoted URL) and the replacements hold no quotes or
 * backslashes: the line stays valid JSON.
 */
const SECRETS: ReadonlyArray<[RegExp, string]> = [
  // Interaction and webhook tokens sit in the path: /interactions/<id>/<token>/..., /webhooks/<app id>/<token>/...
  [/((?:interactions|webhooks)\/\d+\/)[\w.-]{20,}/g, '$1[token]'],
  // Signed addresses (Discord attachments: ?ex=..&is=..&hm=..) and any other query string.
  [/(https?:\/\/[^\s"\\?]+)\?[^\s"\\]*/g, '$1?[query removed]'],
  // Slack private file addresses (url_private, url_private_download): the path names the team, the file
  // and its name, which are the user's, not the log's.
  [/(\/files-pri\/)[^\s"\\?]+/g, '$1[file]'],
  // Slack tokens: bot (xoxb-), user (xoxp-), refresh (xoxe-)... and app-level (xapp-).
  [/\bxox[a-z]-[\w-]+/g, '[slack token]'],
  [/\bxapp-[\w-]+/g, '[slack token]'],
  // Discord bot tokens: three base64url parts separated by dots.
  [/\b[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}/g, '[discord token]'],
  // Authorization header values.
  [/\b(Bot|Bearer) [\w.-]{20,}/g, '$1 [token]'],
];

/** Replaces every secret-shaped part of `text`. */
export function scrubSecrets(text: string): string {
  return SECRETS.reduce((scrubbed, [pattern, replacement]) => scrubbed.replace(pattern, replacement), text);
}

/** The logger the bot runs with; `destination` is for tests (default: stdout). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, hooks: { streamWrite: scrubSecrets } };
  return destination ? pino(options, destination) : pino(options);
}
