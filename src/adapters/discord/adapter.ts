// The Discord adapter: a discord.js client that answers /stylize and the job buttons, and hands the jobs'
// events to JobMessages. Every refusal is an ephemeral message to the user who asked, nothing else changes.
import { Client, Events, GatewayIntentBits, MessageFlags, REST, RESTEvents, Status } from 'discord.js';
import type { Attachment, ButtonInteraction, ChatInputCommandInteraction, Interaction } from 'discord.js';
import type { Logger } from 'pino';
import { isOwner, systemClock } from '../../queue/index.js';
import type { Clock, JobActor, JobOwner, JobQueue, Reservation } from '../../queue/index.js';
import { say, tell, UserError } from '../../wording/index.js';
import { IntakeGate } from '../shared/intake-gate.js';
import { chooseStyle, type StyleChoice } from '../shared/library-choice.js';
import { cancelNote } from '../shared/notes.js';
import { assertSizeFits } from '../shared/size-gate.js';
import { readLibraryStyle } from '../../styles/library.js';
import type { ApiErrorListener, ChatAdapter, PlatformConnection } from '../types.js';
import type { DiscordConfig } from './config.js';
import { attachmentByteCap, checkAttachment, fetchAttachment } from './attachments.js';
import type { AttachmentPolicy } from './attachments.js';
import { parseButtonId } from './buttons.js';
import { COMMAND_NAME, readStylizeInputs } from './command.js';
import { DEFAULT_TIMING, JobMessages, describeError } from './job-messages.js';
import type { JobMessagesTiming } from './job-messages.js';
import { DISCORD_MARKUP } from './render.js';
import { onResultButton } from './result-actions.js';
import type { DiscordReply } from './reply.js';

export interface DiscordAdapterTiming extends JobMessagesTiming {
  downloadTimeoutMs: number;
  /** REST request time limit; uploads of large results need more than discord.js's 15 s default. */
  restTimeoutMs: number;
}

export interface DiscordAdapterDeps {
  config: DiscordConfig;
  queue: JobQueue;
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
    if (!interaction.inGuild()) {
      await interaction.reply({ content: say('discord-guild-only'), flags: MessageFlags.Ephemeral });
      return;
    }
    const inputs = readStylizeInputs(interaction);
    const rules = policy(interaction.attachmentSizeLimit);
    const owner = ownerOf(interaction);
    let place: Reservation;
    let style: StyleChoice<Attachment>;
    try {
      style = chooseStyle(inputs.style, inputs.libraryStyle);
      if (style.kind === 'library') inputs.options.libraryStyle = style.style.id;
      // A size this engine cannot finish in time, then type, declared size and host: all known without
      // downloading, so refused before touching any byte.
      assertSizeFits(queue, inputs.options);
      checkAttachment(inputs.content, 'content', rules);
      if (style.kind === 'upload') checkAttachment(style.upload, 'style', rules);
      // Then a place in line: when there is none, nothing is downloaded and only the user hears why.
      place = queue.reserve(owner);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      log.info({ userId: owner.userId, reason: error.code }, '/stylize refused before download');
      await interaction.reply({ content: refusal(error), flags: MessageFlags.Ephemeral });
      return;
    }
    try {
      // Acknowledged at once (Discord allows 3 s); the downloads may wait for a free intake slot.
      await interaction.deferReply();
      await intake.run(async () => {
        const [content, styleImage] = await Promise.all([
          fetchAttachment(inputs.content, 'content', rules),
          style.kind === 'upload' ? fetchAttachment(style.upload, 'style', rules) : readLibraryStyle(style.style),
        ]);
        messages.expect(interaction.id, interaction, receivedAt);
        const job = await queue.submit({ ...owner, content, style: styleImage, options: inputs.options }, place);
        log.info({ jobId: job.id, userId: owner.userId, options: inputs.options }, 'job submitted');
      });
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
    const actor: JobActor = { platform: 'discord', userId: interaction.user.id };
    const job = queue.get(command.jobId);
    if (command.action === 'cancel') {
      if (job && !isOwner(job, actor)) {
        // A job from the other platform has no Discord user to name.
        const content = job.platform === 'discord' ? say('cancel-not-owner-named', { owner: DISCORD_MARKUP.mention(job.userId) }) : cancelNote('not-owner');
        await interaction.reply({ content, flags: MessageFlags.Ephemeral });
        return;
      }
      // Acknowledge first: the job's own 'cancelled' event edits the message.
      await interaction.deferUpdate();
      const outcome = await queue.cancel(command.jobId, actor);
      log.info({ jobId: command.jobId, userId: interaction.user.id, outcome }, 'cancel button');
      if (outcome !== 'cancelled') await interaction.followUp({ content: cancelNote(outcome), flags: MessageFlags.Ephemeral });
      return;
    }
    // Refused before the public "thinking..." reply, so a stranger's click leaves no trace in the channel;
    // the queue refuses it too, whoever calls it.
    if (job && !isOwner(job, actor)) {
      await interaction.reply({ content: refusal(new UserError('rerun-not-owner')), flags: MessageFlags.Ephemeral });
      return;
    }
    const receivedAt = clock.now();
    await interaction.deferReply();
    const owner = ownerOf(interaction);
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
      else if (interaction.isButton()) await onButton(interaction);
    } catch (error) {
      log.error({ err: describeError(error), interactionId: interaction.id }, 'interaction failed');
      await apologize(interaction).catch(() => undefined);
    }
  }

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

/** Who asked and where to answer, as the queue journals it; the interaction id links the job to its reply. */
function ownerOf(interaction: ChatInputCommandInteraction | ButtonInteraction): JobOwner {
  const reply: DiscordReply = { channelId: interaction.channelId, interactionId: interaction.id };
  if (interaction.guildId) reply.guildId = interaction.guildId;
  return { platform: 'discord', userId: interaction.user.id, userName: interaction.user.displayName, reply: { ...reply } };
}

/** A refusal as the user who asked sees it, only them. */
function refusal(error: UserError): string {
  return `⚠️ ${tell(error.problem)}`;
}

/** After a deferred (public) reply: remove the "thinking" message and tell only the user why. */
async function refuseAfterDefer(interaction: ChatInputCommandInteraction | ButtonInteraction, error: UserError): Promise<void> {
  await interaction.deleteReply().catch(() => undefined);
  await interaction.followUp({ content: refusal(error), flags: MessageFlags.Ephemeral });
}

async function apologize(interaction: Interaction): Promise<void> {
  if (!interaction.isRepliable()) return;
  const content = `⚠️ ${say('something-went-wrong')}`;
  if (interaction.deferred || interaction.replied) await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
}
