// The names the catalogue's parameters use. This folder imports nothing of the project (it is a leaf that
// every layer may use), so the few names it shares with the engine and the queue are declared here; where
// they mirror another folder's list, a test checks that both match (test/wording.test.ts).

/**
 * The images of a job: the photo (content) and the style image (style); a blend's further style images are
 * style2 to style4 ("the second style image"...).
 */
export type ImageRole = 'content' | StyleRole;

/** The style images of a job in order: the first, then a blend's second to fourth. */
export const STYLE_ROLES = ['style', 'style2', 'style3', 'style4'] as const;
export type StyleRole = (typeof STYLE_ROLES)[number];

/** The role of the style image at `index` (0: the first); past the last role, the last. */
export function styleRole(index: number): StyleRole {
  return STYLE_ROLES[Math.min(Math.max(0, index), STYLE_ROLES.length - 1)] ?? 'style';
}

/** The engine's preset names (src/transfer/presets.ts), from mostly the photo to mostly the style. */
export type PresetName = 'photo' | 'balanced' | 'painterly' | 'painting';

/** The chat platforms the bot answers on (src/queue/types.ts), the local web chat among them. */
export type PlatformName = 'discord' | 'slack' | 'web';

/** The options of Discord's /stylize command, by the name its interactions carry (src/adapters/discord/command.ts). */
export type CommandOption =
  | 'content'
  | 'style'
  | 'preset'
  | 'size'
  | 'seed'
  | 'keep_colours'
  | 'spoiler'
  | 'library_style'
  | 'photo_url'
  | 'style_url'
  | 'style2'
  | 'style2_url'
  | 'library_style2'
  | 'blend'
  | 'brush_size'
  | 'painting_time';

/** The brush sizes the chat offers (src/adapters/shared/brush.ts maps them to the engine's style scale). */
export type BrushSize = 'small' | 'normal' | 'large';

/**
 * How the picture's colours were made (the engine's colorMode): the style's, the photo's by painting only the
 * brightness (luminance), or the photo's put back after painting (swap, on backends that cannot do the other).
 */
export type ColourMode = 'style' | 'luminance' | 'swap';

/**
 * The subcommands and options of Discord's /stylize-admin, by the name its interactions carry
 * (src/adapters/discord/admin.ts); each language localises them for display, as /stylize's options.
 */
export type AdminCommandPart =
  | 'show' | 'set' | 'pause' | 'resume' | 'clear' | 'channels'
  | 'default_preset' | 'default_size' | 'user_limit' | 'server_limit' | 'reset' | 'allow' | 'disallow' | 'everywhere';

/** The channel permissions the bot needs on Discord (src/adapters/discord/channel-permissions.ts); each language names them as Discord's settings do. */
export type ChannelPermission = 'view-channel' | 'send-messages' | 'create-public-threads' | 'send-messages-in-threads' | 'attach-files';

/** The languages messages are written in (ISO 639-1 codes); English is the fallback for every message. */
export const LOCALES = ['en', 'de', 'fr', 'es', 'ja'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';
