// The Discord adapter: a discord.js client that answers /stylize and the job buttons, and hands the jobs'
// events to JobMessages. Every refusal is an ephemeral message to the user who asked, nothing else changes.
import { Client, Events, GatewayIntentBits, MessageFlags, REST, RESTEvents, Status } from 'discord.js';
import type { ButtonInteraction, ChatInputCommandInteraction, Interaction } from 'discord.js';
import type { Logger } from 'pino';
import { isOwner, mayManage, systemClock } from '../../queue/index.js';
import type { Clock, JobOptions, JobOwner, StylizeQueue, Reservation } from '../../queue/index.js';
import { readLibraryStyle, type LibraryStyle } from '../../styles/library.js';
import { say, UserError, type Locale } from '../../wording/index.js';
import { IntakeGate } from '../shared/intake-gate.js';
import { chooseImage } from '../shared/image-choice.js';
import { withSecondStyle } from '../shared/blend.js';
import { chooseSecondStyle, chooseStyle } from '../shared/library-choice.js';
import { cancelNote } from '../shared/notes.js';
import { assertSizeFits } from '../shared/size-gate.js';
import type { ApiErrorListener, ChatAdapter, PlatformConnection } from '../types.js';
import type { DiscordConfig } from './config.js';
import { attachmentByteCap } from './attachments.js';
import type { AttachmentPolicy } from './attachments.js';
import { ADMIN_COMMAND_NAME, answerAdmin } from './admin.js';
import { parseButtonId } from './buttons.js';
import { permissionRefusal } from './channel-permissions.js';
import { COMMAND_NAME, readSpoiler, readStylizeInputs } from './command.js';
import { checkImage, fetchImage, imageLinkOf } from './image-links.js';
import type { JobImages, JobInteraction } from './message-command.js';
import { ReachCommands } from './reach.js';
import { DEFAULT_TIMING, JobMessages, describeError } from './job-messages.js';
import { localeOf } from './locale.js';
import type { JobMessagesTiming } from './job-messages.js';
import { DISCORD_MARKUP } from './render.js';
import { readDiscordReply } from './reply.js';
import { onResultButton } from './result-actions.js';
import type { DiscordReply } from './reply.js';
import { actorOf, checkPlace, withServerDefaults } from './server-rules.js';
import { refusalText } from './refusal.js';

export interface DiscordAdapterTiming extends JobMessagesTiming {
  downloadTimeoutMs: number;
  /** REST request time limit; uploads of large results need more than discord.js's 15 s default. */
  restTimeoutMs: number;
}

export interface DiscordAdapterDeps {
  config: DiscordConfig;
  queue: StylizeQueue;
  log: Logger;
  timing?: Partial<DiscordAdapterTiming>;
  /** Edit gaps and interaction token lifetimes are measured on it; default the system clock. */
  clock?: Clock;
  /** Caps the uploads fetched at once; the bot shares one between its adapters. Default: a gate of its own. */
  intake?: IntakeGate;
  /** Told of every REST answer with an error status (the operator's metrics). */
  onApiError?: ApiErrorListener;
}

const SETTLE_TIMEOUT_MS = 5000;
const DEFAULTS: DiscordAdapterTiming = { ...DEFAULT_TIMING, downloadTimeoutMs: 30_000, restTimeoutMs: 60_000 };

export function createDiscordAdapter(deps: DiscordAdapterDeps): ChatAdapter {
  const { config, queue } = deps;
  const log = deps.log.child({ adapter: 'discord' });
  const timing: DiscordAdapterTiming = { ...DEFAULTS, ...deps.timing };
  const clock = deps.clock ?? systemClock;
  const intake = deps.intake ?? new IntakeGate();
  // The queue's limit, checked here before download; Discord's own upload limit may be lower.
  const maxInputBytes = queue.limits.maxInputBytes;
  const client = new Client({
    // Guilds only: interactions need no intent, and it fills the channel cache that thread calls use.
    intents: [GatewayIntentBits.Guilds],
    rest: { timeout: timing.restTimeoutMs, ...(config.apiUrl ? { api: config.apiUrl } : {}) },
    allowedMentions: { parse: [] },
  });
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  // Results go through their own REST client that neither sleeps on a 429 nor repeats a 5xx: the queue
  // retries deliveries on its clock, honouring Retry-After, and shows the user that it is retrying.
  const deliveryRest = new REST({ timeout: timing.restTimeoutMs, retries: 0, rejectOnRateLimit: () => true, ...(config.apiUrl ? { api: config.apiUrl } : {}) }).setToken(config.token);
  const messages = new JobMessages({ client, queue, log, ready, timing, clock, deliveryRest });
  const onApiError = deps.onApiError;
  if (onApiError) {
    // discord.js announces every REST answer, also the 429s and 5xx it waits out and repeats by itself,
    // which no call site of ours sees. Only the status is read: the answer's body is the caller's.
    for (const rest of [client.rest, deliveryRest]) {
      rest.on(RESTEvents.Response, (_request, response) => {
        if (response.status >= 400) onApiError({ platform: 'discord', status: String(response.status) });
      });
    }
  }
  // Subscribed now, before the bot starts the queue, so resumed jobs' events and deliveries are not missed.
  queue.subscribe('discord', (job, event) => messages.onJobEvent(job, event));
  queue.deliverWith('discord', (job, delivery) => messages.deliver(job, delivery));

  const policy = (interactionLimit: number | null | undefined): AttachmentPolicy => ({
    allowedHosts: config.attachmentHosts,
    maxBytes: attachmentByteCap(maxInputBytes, interactionLimit),
    timeoutMs: timing.downloadTimeoutMs,
  });

  async function onStylize(interaction: ChatInputCommandInteraction): Promise<void> {
    const receivedAt = clock.now();
    const settings = queue.serverSettings('discord', interaction.guildId ?? undefined);
    const inputs = readStylizeInputs(interaction, queue.limits.jobTimeoutMs);
    let options = withServerDefaults(interaction, inputs.options, settings);
    let images: JobImages;
    try {
      const content = chooseImage(inputs.content, imageLinkOf(inputs.photoUrl), 'content');
      if (content === undefined) throw new UserError('photo-missing');
      const chosen = chooseStyle(chooseImage(inputs.style, imageLinkOf(inputs.styleUrl), 'style'), inputs.libraryStyle);
      images = { content, style: chosen.kind === 'upload' ? chosen.upload : chosen.style };
      // A second style, blended into the first with the share chosen (half when none was).
      const second = chooseSecondStyle(chooseImage(inputs.style2, imageLinkOf(inputs.style2Url), 'style2'), inputs.libraryStyle2);
      if (second) {
        images.style2 = second.kind === 'upload' ? second.upload : second.style;
        options = withSecondStyle(options, second.kind === 'library' ? { libraryStyle: second.style.id } : {}, inputs.blend);
      } else if (inputs.blend !== undefined) {
        throw new UserError('blend-needs-second-style');
      }
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      await interaction.reply({ content: refusal(error, localeOf(interaction)), flags: MessageFlags.Ephemeral });
      return;
    }
    await startJob(interaction, images, options, receivedAt);
  }

  /** From the checks to the queued job, for /stylize and the message command "Stylize" alike. */
  async function startJob(interaction: ChatInputCommandInteraction | JobInteraction, images: JobImages, requested: JobOptions, receivedAt: number): Promise<void> {
    const rules = policy(interaction.attachmentSizeLimit);
    const owner = ownerOf(interaction);
    const settings = queue.serverSettings('discord', interaction.guildId ?? undefined);
    // The job remembers which painting of the library it was made in (its result names it).
    const options = isLibraryStyle(images.style) ? { ...requested, libraryStyle: images.style.id } : requested;
    // A job that could not show its progress or post its picture here is refused before any download.
    // In a DM (or where only the user installed the app) the picture goes to the user's DM instead.
    const missing = owner.reply['direct'] === true ? undefined : permissionRefusal(interaction);
    if (missing) {
      log.info({ userId: owner.userId, channelId: interaction.channelId }, 'job refused: the bot lacks permissions in the channel');
      await interaction.reply({ content: `⚠️ ${missing}`, flags: MessageFlags.Ephemeral });
      return;
    }
    const { content, style, style2 } = images;
    let place: Reservation;
    let deferred = false;
    try {
      // A size this engine cannot finish in time, then the place, type, declared size and host: all known
      // without downloading, so refused before touching any byte.
      assertSizeFits(queue, options);
      // Where the server allows it and the user could post a picture themselves, or not at all.
      checkPlace(interaction, settings);
      checkImage(content, 'content', rules);
      if (!isLibraryStyle(style)) checkImage(style, 'style', rules);
      if (style2 && !isLibraryStyle(style2)) checkImage(style2, 'style2', rules);
      // Then a place in line: when there is none, nothing is downloaded and only the user hears why.
      const reserving = queue.reserve(owner);
      if (reserving instanceof Promise) {
        // A queue that answers over the network (cluster mode): Discord is answered first (it allows 3 s),
        // and a refusal then replaces the "thinking" reply with a note only the user sees.
        await deferWhile(interaction, reserving);
        deferred = true;
      }
      place = await reserving;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      log.info({ userId: owner.userId, reason: error.code }, '/stylize refused before download');
      if (deferred) await refuseAfterDefer(interaction, error);
      else await interaction.reply({ content: refusal(error, owner.locale), flags: MessageFlags.Ephemeral });
      return;
    }
    try {
      // Acknowledged at once (Discord allows 3 s); the downloads may wait for a free intake slot.
      if (!deferred) await interaction.deferReply();
      await intake.run(async () => {
        const [contentBytes, styleBytes, style2Bytes] = await Promise.all([
          fetchImage(content, 'content', rules),
          isLibraryStyle(style) ? readLibraryStyle(style) : fetchImage(style, 'style', rules),
          style2 === undefined ? undefined : isLibraryStyle(style2) ? readLibraryStyle(style2) : fetchImage(style2, 'style2', rules),
        ]);
        messages.expect(interaction.id, interaction, receivedAt);
        const extra = style2Bytes === undefined ? {} : { extraStyleImages: [style2Bytes] };
        const job = await queue.submit({ ...owner, content: contentBytes, style: styleBytes, ...extra, options }, place);
        log.info({ jobId: job.id, userId: owner.userId, options }, 'job submitted');
      });
      if (settings.paused) await interaction.followUp({ content: say('job-server-paused', {}, owner.locale), flags: MessageFlags.Ephemeral });
    } catch (error) {
      messages.forget(interaction.id);
      if (!(error instanceof UserError)) throw error;
      log.info({ userId: owner.userId, reason: error.code }, '/stylize refused');
      await refuseAfterDefer(interaction, error);
    } finally {
      place.release();
    }
  }

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    const command = parseButtonId(interaction.customId);
    if (!command) return;
    if (command.action !== 'cancel' && command.action !== 'rerun') {
      await onResultButton(interaction, command, { queue, messages, log, clock, ownerOf, refuseAfterDefer });
      return;
    }
    const actor = actorOf(interaction);
    // Answers to a press are in the presser's language, which need not be the job owner's.
    const locale = localeOf(interaction);
    const job = queue.get(command.jobId);
    if (command.action === 'cancel') {
      if (job && !mayManage(job, actor)) {
        // A job from the other platform has no Discord user to name.
        const content = job.platform === 'discord' ? say('cancel-not-owner-named', { owner: DISCORD_MARKUP.mention(job.userId) }, locale) : cancelNote('not-owner', locale);
        await interaction.reply({ content, flags: MessageFlags.Ephemeral });
        return;
      }
      // Acknowledge first: the job's own 'cancelled' event edits the message.
      await interaction.deferUpdate();
      const outcome = await queue.cancel(command.jobId, actor);
      log.info({ jobId: command.jobId, userId: interaction.user.id, outcome }, 'cancel button');
      if (outcome !== 'cancelled') await interaction.followUp({ content: cancelNote(outcome, locale), flags: MessageFlags.Ephemeral });
      return;
    }
    // Refused before the public "thinking..." reply, so a stranger's click leaves no trace in the channel;
    // the queue refuses it too, whoever calls it.
    if (job && !isOwner(job, actor)) {
      await interaction.reply({ content: refusal(new UserError('rerun-not-owner'), locale), flags: MessageFlags.Ephemeral });
      return;
    }
    const receivedAt = clock.now();
    await interaction.deferReply();
    const owner = ownerOf(interaction);
    // A rerun of a spoiler stays a spoiler.
    if (job && readDiscordReply(job.reply)?.spoiler === true) owner.reply['spoiler'] = true;
    messages.expect(interaction.id, interaction, receivedAt);
    try {
      const queued = await queue.rerun(command.jobId, owner, { ...job?.options, preset: command.preset });
      log.info({ jobId: queued.id, fromJobId: command.jobId, preset: command.preset, userId: owner.userId }, 'rerun submitted');
    } catch (error) {
      messages.forget(interaction.id);
      if (!(error instanceof UserError)) throw error;
      await refuseAfterDefer(interaction, error);
    }
  }

  async function onInteraction(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isChatInputCommand() && interaction.commandName === COMMAND_NAME) await onStylize(interaction);
      else if (await reach.route(interaction)) return;
      else if (interaction.isChatInputCommand() && interaction.commandName === ADMIN_COMMAND_NAME) await answerAdmin(interaction, queue, log);
      else if (interaction.isButton()) await onButton(interaction);
    } catch (error) {
      log.error({ err: describeError(error), interactionId: interaction.id }, 'interaction failed');
      await apologize(interaction).catch(() => undefined);
    }
  }

  const reach = new ReachCommands({ queue, clock, startJob });
  client.on(Events.InteractionCreate, (interaction) => void onInteraction(interaction));
  client.on(Events.Error, (error) => log.error({ err: describeError(error) }, 'discord client error'));

  function connection(): PlatformConnection {
    if (!client.isReady()) return { connected: false, detail: 'not connected to the gateway' };
    // The client stays "ready" while a shard reconnects; the shards say whether events can arrive now.
    const down = client.ws.shards.find((shard) => shard.status !== Status.Ready);
    if (down) return { connected: false, detail: `gateway connection ${Status[down.status]?.toLowerCase() ?? 'down'}` };
    return { connected: true, detail: `connected to the gateway as ${client.user.tag}` };
  }

  return {
    name: 'discord',
    connection,
    async start() {
      const loggedIn = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.token);
      await loggedIn;
      log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
      markReady();
    },
    async stop() {
      // The last state changes (a job journaled for the restart...) reach Discord, unless it does not answer.
      await messages.close(SETTLE_TIMEOUT_MS);
      await client.destroy();
      log.info('disconnected from Discord');
    },
  };
}

/**
 * Who asked and where to answer, as the queue journals it; the interaction id links the job to its reply.
 * Outside a server the bot is in (a DM, a group DM, a server where only the user installed the app) there
 * is no thread to make: the picture goes to the user's DM with the bot (`direct`).
 */
function ownerOf(interaction: ChatInputCommandInteraction | JobInteraction): JobOwner {
  const reply: DiscordReply = { channelId: interaction.channelId, interactionId: interaction.id };
  if (interaction.guildId) reply.guildId = interaction.guildId;
  if (!interaction.inCachedGuild()) reply.direct = true;
  if (interaction.isChatInputCommand() && readSpoiler(interaction)) reply.spoiler = true;
  const owner: JobOwner = { platform: 'discord', userId: interaction.user.id, userName: interaction.user.displayName, reply: { ...reply }, locale: localeOf(interaction) };
  if (interaction.guildId) owner.server = interaction.guildId;
  return owner;
}

function isLibraryStyle(style: NonNullable<JobImages['style2']>): style is LibraryStyle {
  return 'path' in style;
}

/** A refusal as the user who asked sees it, only them, in their language. */
function refusal(error: UserError, locale: Locale | undefined): string {
  return refusalText(error.problem, locale);
}

/** Defers the reply while a place is being reserved; a place that comes after a failed deferral is given back. */
async function deferWhile(interaction: ChatInputCommandInteraction | JobInteraction, reserving: Promise<Reservation>): Promise<void> {
  // The caller awaits the reservation after the deferral: a refusal meanwhile is not an unhandled rejection.
  reserving.catch(() => undefined);
  try {
    await interaction.deferReply();
  } catch (error) {
    void reserving.then((place) => place.release(), () => undefined);
    throw error;
  }
}

/** After a deferred (public) reply: remove the "thinking" message and tell only the user why. */
async function refuseAfterDefer(interaction: ChatInputCommandInteraction | JobInteraction, error: UserError): Promise<void> {
  await interaction.deleteReply().catch(() => undefined);
  await interaction.followUp({ content: refusal(error, localeOf(interaction)), flags: MessageFlags.Ephemeral });
}

async function apologize(interaction: Interaction): Promise<void> {
  if (!interaction.isRepliable()) return;
  const content = `⚠️ ${say('something-went-wrong', {}, localeOf(interaction))}`;
  if (interaction.deferred || interaction.replied) await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
}
