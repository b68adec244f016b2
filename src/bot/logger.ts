// The bot's structured logger (pino, JSON lines on stdout). Errors from discord.js, Bolt and undici carry
// request URLs in their messages, and those can hold an interaction token, a signed attachment address or
// a Slack token: every line is scrubbed as it is written, so no call site has to remember to.
import { pino, type DestinationStream, type Logger } from 'pino';
import type { BotConfig, LogLevel } from './config.js';

/** A path separator as written, or URL-encoded (an address passed as a query parameter or form field). */
const SLASH = '(?:\\/|%2F)';

/**
 * Secret-shaped text and what replaces it. The patterns run on the serialized JSON line, so they stop at a
 * backslash (a JSON escape such as \" around a quoted URL) and the replacements hold no quotes or
 * backslashes: the line stays valid JSON.
 */
const SECRETS: ReadonlyArray<[RegExp, string]> = [
  // Interaction and webhook tokens sit in the path: /interactions/<id>/<token>/..., /webhooks/<app id>/<token>/...
  [new RegExp(`((?:interactions|webhooks)${SLASH}\\d+${SLASH})[\\w.-]{20,}`, 'gi'), '$1[token]'],
  // Slack response_url and incoming-webhook addresses: the path after the team id is the credential.
  [new RegExp(`(hooks\\.slack\\.com${SLASH})[^\\s"\\\\?&]+`, 'gi'), '$1[token]'],
  [new RegExp(`(${SLASH}(?:actions|commands|workflows|services)${SLASH}T[A-Z0-9]+${SLASH})[^\\s"\\\\?&]+`, 'gi'), '$1[token]'],
  // Signed addresses (Discord attachments: ?ex=..&is=..&hm=..) and any other query string, also encoded.
  [/(https?:\/\/[^\s"\\?]+)\?[^\s"\\]*/g, '$1?[query removed]'],
  [/(https?%3A%2F%2F[^\s"\\&]*?)%3F[^\s"\\&]*/gi, '$1%3F[query removed]'],
  // Slack private file addresses (url_private, url_private_download): the path names the team, the file
  // and its name, which are the user's, not the log's.
  [new RegExp(`(${SLASH}files-pri${SLASH})[^\\s"\\\\?&]+`, 'gi'), '$1[file]'],
  // Slack tokens: bot (xoxb-), user (xoxp-), refresh (xoxe-)... and app-level (xapp-).
  [/\bxox[a-z]-[\w-]+/g, '[slack token]'],
  [/\bxapp-[\w-]+/g, '[slack token]'],
  // Discord bot tokens: three base64url parts separated by dots.
  [/\b[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}/g, '[discord token]'],
  // Authorization header values, also as form or query text ("Bot%20...", "Bearer+...").
  [/\b(Bot|Bearer)(?: |%20|\+)[\w.-]{20,}/g, '$1 [token]'],
  // Fields named like credentials, in the line itself or in a JSON text inside it (escaped quotes):
  // "token": "...", "signing_secret": "...", "password": "...", "authorization": "...".
  [/(\\?"[\w-]*(?:token|secret|password|authorization)\\?"\s*:\s*\\?")[^"\\]+/gi, '$1[redacted]'],
  // The same as form or query fields: token=...&, client_secret=...
  [/\b([\w-]*(?:token|secret|password)=)[^\s"\\&]+/gi, '$1[redacted]'],
];

/** Replaces every secret-shaped part of `text`, and every exact occurrence of a configured secret. */
export function scrubSecrets(text: string, known: readonly string[] = []): string {
  let scrubbed = text;
  for (const secret of known) {
    // The raw value and its encoded form (a secret inside an address or a form body).
    for (const form of new Set([secret, encodeURIComponent(secret)])) scrubbed = scrubbed.split(form).join('[secret]');
  }
  return SECRETS.reduce((line, [pattern, replacement]) => line.replace(pattern, replacement), scrubbed);
}

/**
 * The credentials in the configuration: scrubbed by value, so that a secret with no recognisable shape (the
 * Slack signing secret is 32 hex digits) never reaches the log either.
 */
export function configuredSecrets(config: Pick<BotConfig, 'discord' | 'slack' | 'web'>): string[] {
  const values = [config.discord?.token, config.slack?.botToken, config.slack?.signingSecret, config.slack?.appToken, config.web?.token];
  // Short values would blank out ordinary words; real credentials are far longer.
  return values.filter((value): value is string => value !== undefined && value.length >= 8);
}

export interface LoggerOptions {
  /** Exact values to remove from every line (see configuredSecrets). */
  secrets?: readonly string[];
  /** Where lines go; default stdout. */
  destination?: DestinationStream;
}

/** The logger the bot runs with. */
export function createLogger(level: LogLevel, options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  const pinoOptions = { level, hooks: { streamWrite: (line: string) => scrubSecrets(line, secrets) } };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
