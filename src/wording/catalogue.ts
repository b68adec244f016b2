// Every message key and the parameters it takes. A catalogue (en.ts, de.ts, fr.ts, es.ts, ja.ts) writes a
// sentence for each key; say() picks the user's language and falls back to English. Keys whose sentence
// tells a user why something was refused or failed are also the codes of UserError (user-error.ts).
import type { RefusedFormat } from './formats.js';
import type { AdminCommandPart, BrushSize, ChannelPermission, ColourMode, CommandOption, ImageRole, PlatformName, PresetName } from './vocabulary.js';

type NoParams = Record<string, never>;

/** Which image a message is about; without a role it says "the image". `fileName` is the name the user uploaded. */
interface About {
  role?: ImageRole;
  fileName?: string;
}

/** Why an image, an option or a job was refused, or a job failed: the codes of UserError. */
export interface UserErrorParams {
  // An upload as the engine reads it (src/transfer/images.ts).
  'image-empty': About;
  'image-not-an-image': About;
  'image-format-refused': About & { format: RefusedFormat };
  'image-truncated': About;
  'image-too-many-pixels': About & { width?: number; height?: number; maxPixels: number };
  // An upload as the chat platform declares it, or its download (src/adapters/).
  'image-not-accepted': About & { role: ImageRole };
  'image-too-large': About & { role: ImageRole; bytes: number; maxBytes: number };
  'file-link-invalid': { role: ImageRole };
  'file-host-not-allowed': { role: ImageRole; host: string };
  'download-too-large': { role: ImageRole; maxBytes: number };
  'download-failed': { role: ImageRole; status: number };
  'download-timed-out': { role: ImageRole; timeoutMs: number };
  'download-network': { role: ImageRole };
  'slack-file-unreadable': { role: ImageRole; detail?: string };
  'images-not-checked': NoParams;
  // Options the engine cannot use with these images.
  'image-too-small-for-size': { size: number; width: number; height: number; minSide: number; layers: string[] };
  'option-out-of-range': { option: 'size' | 'iterations'; min: number; max: number; got: number };
  'size-exceeds-memory': { size: number; largestSize: number };
  // The queue's limits and its state (src/queue/).
  'bot-restarting': NoParams;
  'user-limit': { maxPerUser: number };
  'queue-full': { maxQueueLength: number };
  /** The size would not finish within the job time limit on this engine; `largestSize` fits, when any does. */
  'size-too-slow': { size: number; limitMs: number; largestSize?: number };
  'rerun-not-owner': NoParams;
  // Results: the style library (src/adapters/shared/library-choice.ts).
  'style-missing': NoParams;
  'style-both': NoParams;
  'library-style-unknown': { id: string };
  'rerun-images-gone': NoParams;
  'storage-unavailable': NoParams;
  'storage-full': NoParams;
  // A job that ran and failed.
  'journal-failed': NoParams;
  'job-timed-out': { limitMs: number };
  'engine-crashed': NoParams;
  'engine-unavailable': NoParams;
  'engine-failed': NoParams;
  'model-missing': NoParams;
  'crashed-too-often': { attempts: number };
  // A picture that was made but could not be posted (src/queue/delivery.ts and each adapter's deliver.ts).
  'result-gone': NoParams;
  'delivery-gave-up': { attempts: number };
  'delivery-no-destination': NoParams;
  'discord-missing-permissions': NoParams;
  'discord-missing-access': NoParams;
  'discord-upload-too-large': { bytes: number };
  'discord-refused': { detail: string };
  'slack-not-in-channel': NoParams;
  'slack-channel-not-found': NoParams;
  'slack-channel-archived': NoParams;
  'slack-missing-scope': NoParams;
  'slack-token-type': NoParams;
  'slack-restricted': NoParams;
  'slack-upload-too-large': NoParams;
  'slack-token-refused': NoParams;
  // Communities: per-server limits and rules, moderation and the admin command.
  'server-limit': { maxPerServer: number };
  /** `channels` comes with the platform's markup (channel mentions). */
  'channel-not-allowed': { channels: string };
  'no-image-permission': NoParams;
  'admin-only': NoParams;
  'admin-server-only': NoParams;
  // Image links: a picture already posted in the chat, named by its link instead of attached again.
  'photo-missing': NoParams;
  'image-upload-and-link': { role: ImageRole };
  /** `hosts`: the allowed file hosts, listed. */
  'image-link-host-not-allowed': { role: ImageRole; host: string; hosts: string };
  // Blends and brush size (issue 19): several style images, weighted.
  'too-many-styles': { count: number; max: number };
  'style-weights-invalid': { count: number };
  'second-style-both': NoParams;
  'blend-needs-second-style': NoParams;
}

/** One style image of a result, as its text names it: a library painting (name and credit) or an upload. */
export interface StyleMention {
  /** The painting's name and attribution; both absent for a style image the user gave. */
  name?: string;
  credit?: string;
  /** Its share of a blend, in percent; absent when the picture has one style image. */
  share?: number;
}

/** Why posting a picture failed for now (it is tried again): a phrase inside status-delivering. */
export interface DeliveryHitchParams {
  'hitch-slow-down': { platform: PlatformName };
  'hitch-server-error': { platform: PlatformName; status: number };
  'hitch-http-error': { platform: PlatformName; status: number };
  'hitch-platform-error': { platform: PlatformName; detail: string };
  'hitch-no-answer': { platform: PlatformName };
  'hitch-restarting': NoParams;
  'hitch-unexpected': NoParams;
}

/** A job's messages: its heading, where it stands, its result and its buttons (src/adapters/shared/job-view.ts). */
export interface JobMessageParams {
  'app-name': NoParams;
  /** `app` and `owner` come with the platform's markup (bold, a mention). */
  /** `minutes`: the painting time the owner picked (issue 21). */
  'job-heading': { app: string; owner: string; preset: PresetName; size?: number; style?: string; minutes?: number };
  'job-summary': { owner: string; status: string };
  'thread-name': { userName: string; preset: PresetName };
  'queue-position': { position: number };
  'status-preparing': NoParams;
  /** `startsInMs`: when the job should start (absent while the engine's speed is unknown). */
  'status-queued': { position: number; resumed: boolean; startsInMs?: number };
  'status-starting': NoParams;
  /**
   * `bar` comes with the platform's markup (a code span), drawn from the share of the job's time done. Plain
   * words only: the iteration count is behind Details (settings-iterations).
   */
  'status-running': { bar: string; etaMs?: number };
  'status-delivering': { problem: string; retryInMs: number };
  'status-done': { seconds: number; inThread: boolean };
  'status-cancelled': { by: string };
  'status-moved-to-thread': NoParams;
  'result-ready': { owner: string };
  'result-title': { preset: PresetName };
  'result-alt': { width: number; height: number };
  'preview-alt': NoParams;
  /** `percent`: the share of the job's time done, 0..100. */
  'preview-title': { percent: number };
  'preview-comment': { percent: number };
  'button-cancel': NoParams;
  'button-more-content': { preset: PresetName };
  'button-more-style': { preset: PresetName };
  /** The style ratio by name: what the job message shows. */
  'settings-preset': { preset: PresetName };
  /** The style ratio with its weight α/β: behind Details only, like settings-iterations and settings-layers. */
  'settings-style-ratio': { preset: PresetName; ratio: number };
  'settings-result-size': { width: number; height: number };
  'settings-iterations': { iterations: number; seconds: number; backend: string };
  'settings-layers': { content: string[]; style: string[] };
  'settings-size': { size: number };
  /** A Bigger job: the long side of the picture it went on from. */
  'settings-bigger-from': { size: number };
  'settings-seed': { seed: number };
  'settings-keep-colours': { keep: boolean };
  // Results: the style library.
  'settings-library-style': { name: string; credit: string };
  // Results: what the result says and its buttons (src/adapters/shared/result-actions.ts).
  'result-summary': { owner: string; preset: PresetName; style?: string; width: number; height: number; seconds: number };
  'button-bigger': { size: number };
  'button-keep-colours': { keep: boolean };
  'button-use-as-photo': NoParams;
  'button-use-as-style': NoParams;
  'button-details': NoParams;
  'button-delete': NoParams;
  'details-heading': NoParams;
  'delete-done': NoParams;
  'delete-not-owner': NoParams;
  'delete-not-found': NoParams;
  'delete-not-finished': NoParams;
  // Blends and brush size (issue 19): what the result and its Details say, and the brush-size buttons.
  /** Every painting of the result with its attribution (uploads unnamed), and each one's share of a blend. */
  'result-styles': { styles: StyleMention[] };
  'settings-styles': { styles: StyleMention[] };
  /** `brush`: the chat's name for the scale, when it is one of the chat's three. */
  'settings-brush-size': { scale: number; brush?: BrushSize };
  'settings-colour-mode': { mode: ColourMode };
  'button-brush-size': { brush: BrushSize };
  // Painting time (issue 21): the time the owner picked, in the job message and Details.
  'settings-run-time': { minutes: number };
}

/** Notes to one user, the command's and the form's texts, preset names. */
export interface ChatParams {
  'cancel-not-owner': NoParams;
  'cancel-not-owner-named': { owner: string };
  'cancel-not-found': NoParams;
  'cancel-already-finished': NoParams;
  'rerun-last-step': { preset: PresetName };
  'something-went-wrong': NoParams;
  'slack-cannot-post': NoParams;
  'preset-label': { preset: PresetName };
  'preset-description': { preset: PresetName };
  /** A preset as one of the command's choices: its label and description (Discord cuts it at 100 characters). */
  'preset-choice': { preset: PresetName };
  'command-description': NoParams;
  /**
   * An option's name as Discord shows it: lower case, letters, digits, "-" and "_" only, at most 32
   * characters. Interactions carry the CommandOption; each language, English too, names it for display.
   */
  'option-name': { option: CommandOption };
  'option-photo': NoParams;
  'option-style-image': NoParams;
  'option-preset': { preset: PresetName };
  'option-size': NoParams;
  'option-seed': NoParams;
  'option-keep-colours': NoParams;
  'form-title': NoParams;
  'form-submit': NoParams;
  'form-close': NoParams;
  'form-ok': NoParams;
  'form-photo': NoParams;
  'form-photo-hint': NoParams;
  'form-style-image': NoParams;
  'form-style-image-hint': NoParams;
  'form-preset': NoParams;
  'form-size': NoParams;
  'form-size-hint': { min: number; max: number };
  'form-seed': NoParams;
  'form-colours': NoParams;
  'form-keep-colours': NoParams;
  'form-keep-colours-hint': NoParams;
  'form-image-missing': { role: ImageRole };
  'form-one-image-only': NoParams;
  'form-size-invalid': { min: number; max: number };
  'form-seed-invalid': { max: number };
  'form-out-of-date': NoParams;
  'form-message-images': { photo: string; styleImage: string };
  'shortcut-needs-two-images': { found: number };
  // Communities: moderation, the admin command, DMs.
  'option-spoiler': NoParams;
  'job-server-paused': NoParams;
  'admin-command-description': NoParams;
  /** A /stylize-admin subcommand's or option's name as Discord shows it (the rules of 'option-name'). */
  'admin-name': { part: AdminCommandPart };
  'admin-show-description': NoParams;
  'admin-set-description': NoParams;
  'admin-option-default-preset': NoParams;
  'admin-option-default-size': NoParams;
  'admin-option-user-limit': NoParams;
  'admin-option-server-limit': NoParams;
  'admin-option-reset': NoParams;
  'admin-pause-description': NoParams;
  'admin-resume-description': NoParams;
  'admin-clear-description': NoParams;
  'admin-channels-description': NoParams;
  'admin-option-allow': NoParams;
  'admin-option-disallow': NoParams;
  'admin-option-everywhere': NoParams;
  /** `channels` comes with the platform's markup; limits are the ones in force (the server's, capped by the bot's). */
  'admin-settings': {
    preset: PresetName;
    presetIsDefault: boolean;
    size?: number;
    channels?: string;
    userLimit: number;
    serverLimit?: number;
    queueCeiling: number;
    paused: boolean;
    waiting: number;
    running: number;
  };
  'admin-saved': NoParams;
  'admin-nothing-to-change': NoParams;
  'admin-paused': NoParams;
  'admin-resumed': NoParams;
  'admin-cleared': { count: number };
  'slack-admin-only': NoParams;
  'slack-admin-usage': NoParams;
  // Results: the style library in the command and the form.
  'option-style-image-or-library': NoParams;
  'option-library-style': NoParams;
  'form-style-image-optional-hint': NoParams;
  'form-library-style': NoParams;
  'form-library-style-hint': NoParams;
  // Image links: the command's options.
  'option-photo-url': NoParams;
  'option-style-url': NoParams;
  // Blends and brush size (issue 19): the command's options and the form's fields.
  'option-style2': NoParams;
  'option-style2-url': NoParams;
  'option-library-style2': NoParams;
  'option-blend': NoParams;
  'option-brush-size': NoParams;
  /** A blend as a choice: the second style's share in percent. */
  'blend-choice': { share: number };
  'brush-choice': { brush: BrushSize };
  'form-style2': NoParams;
  'form-style2-hint': NoParams;
  'form-library-style2': NoParams;
  'form-blend': NoParams;
  'form-brush-size': NoParams;
  // Painting time (issue 21): the command's option and the forms' field, offering whole minutes.
  'option-run-time': NoParams;
  'run-time-choice': { minutes: number };
  /** The forms' choice of no picked time: the engine's usual run, whose length depends on the size. */
  'run-time-usual': NoParams;
  'form-run-time': NoParams;
}

/** Reach (issue 10): the "Stylize" message command, help, "my jobs", pings when a job ends badly, the channel checks. */
export interface ReachParams {
  /** `owner` is a mention; `reason` the failure, worded. */
  'ping-failed': { owner: string; reason: string };
  'ping-cancelled-by-other': { owner: string; by: string };
  /** The bot's missing permissions in the channel; each language names them as Discord's settings do. */
  'discord-missing-channel-permissions': { missing: ChannelPermission[] };
  'slack-not-a-member': NoParams;
  'help-command-description': NoParams;
  'jobs-command-description': NoParams;
  'help-intro-discord': NoParams;
  'help-intro-slack': NoParams;
  'help-presets-heading': NoParams;
  'help-preset-line': { preset: PresetName };
  'help-library-heading': NoParams;
  /** `name`, `credit`, `description`: the painting's, in the reader's language (src/styles/library.ts). */
  'help-library-line': { id: string; name: string; credit: string; description: string };
  /** A painting as one of /stylize's library_style choices (Discord cuts it at 100 characters). */
  'library-choice': { name: string; description: string };
  'help-limits': { maxBytes: number; maxPerUser: number; maxQueueLength: number; timeoutMs: number; minSize: number; maxSize: number };
  'help-privacy': { keptMs: number };
  'jobs-none': NoParams;
  'jobs-heading': { count: number };
  'jobs-line-running': { preset: PresetName };
  'jobs-line-waiting': { preset: PresetName; position: number };
  'jobs-cancel-button': { index: number };
  'slack-unknown-subcommand': { text: string };
  'context-no-images': NoParams;
  'context-pick-images': { count: number };
  'context-pick-photo': NoParams;
  'context-pick-style': NoParams;
  'context-pick-library': NoParams;
  'context-pick-same': NoParams;
  'context-picker-expired': NoParams;
  'context-image-label': { index: number; fileName: string };
  /** The end of a list cut to fit a platform's limit: "and 37 more" (channels, jobs). */
  'list-and-more': { count: number };
}

/** The local web chat (src/adapters/web/): its page, its form and its notes. */
export interface WebParams {
  'web-page-title': NoParams;
  'web-intro': NoParams;
  /** A job's heading on its owner's page, who needs no name: "Balanced · The Starry Night · 512 px". */
  'web-job-heading': { preset: PresetName; size?: number; style?: string; minutes?: number };
  /** A cancelled job's status: on the web only its owner can cancel it. */
  'web-cancelled': NoParams;
  'web-drop-hint': NoParams;
  'web-style-heading': NoParams;
  'web-style-upload': NoParams;
  'web-library-none': NoParams;
  'web-image-ready': { fileName: string };
  'web-jobs-heading': NoParams;
  'web-pictures-heading': NoParams;
  'web-pictures-none': NoParams;
  'web-download': NoParams;
  'web-sending': NoParams;
  'web-connection-lost': NoParams;
  'web-page-out-of-date': NoParams;
  'web-token-title': NoParams;
  'web-token-label': NoParams;
  'web-token-submit': NoParams;
  'web-token-wrong': NoParams;
}

export interface MessageParams extends UserErrorParams, DeliveryHitchParams, JobMessageParams, ChatParams, ReachParams, WebParams {}

export type MessageKey = keyof MessageParams;

/** The keys whose sentence takes no parameters (a command's or an option's description, a button label...). */
export type PlainMessageKey = { [K in MessageKey]: Record<string, never> extends MessageParams[K] ? K : never }[MessageKey];
export type UserErrorCode = keyof UserErrorParams;
export type DeliveryHitchCode = keyof DeliveryHitchParams;

/** A sentence for every key. */
export type Catalogue = { readonly [K in MessageKey]: (params: MessageParams[K]) => string };

/**
 * Another language's sentences: a key it lacks falls back to English at run time (say.ts), so a new
 * English key never breaks the build; test/wording-languages.test.ts lists every key a language lacks.
 */
export type Translation = Partial<Catalogue>;

/** A message as data (key and parameters): what travels in events and over IPC, to be worded for its reader. */
export type Wording<K extends MessageKey = MessageKey> = { [C in K]: { code: C; params: MessageParams[C] } }[K];

/** Why something was refused or failed, for the user. */
export type UserProblem = Wording<UserErrorCode>;
/** Why posting a picture failed for now. */
export type DeliveryHitch = Wording<DeliveryHitchCode>;
