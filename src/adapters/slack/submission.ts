// The modal's submission: field checks answered in the modal itself (response_action 'errors'), then the
// two images fetched and validated. Slack waits at most 3 s for the answer, so the images get a short head
// start: an image refused within it is shown on its field; later problems reach the user as an ephemeral note.
import type { App, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { Clock, JobOptions, Reservation } from '../../queue/index.js';
import { problemRole, say, tell, UserError, type ImageRole } from '../../wording/index.js';
import { fetchSlackImages } from './files.js';
import { BLOCK, MODAL_CALLBACK } from './ids.js';
import { botIsInChannel } from './membership.js';
import { noticeModal, parseMetadata, readSubmission } from './modal.js';
import type { ModalMetadata, SubmittedFiles } from './modal.js';
import { libraryStyleOf } from '../shared/library-choice.js';
import { assertSizeFits } from '../shared/size-gate.js';
import { readLibraryStyle } from '../../styles/library.js';
import { launchJob } from './launch.js';
import { notifyUser } from './notify.js';
import { tellInMrkdwn } from './mrkdwn.js';
import type { SlackDeps } from './deps.js';
import { channelRefusal } from './admin.js';

/** How long the images may take before the modal is closed anyway (Slack's limit is 3 s in all). */
const IMAGE_CHECK_BUDGET_MS = 2_000;

type Settled<T> = { state: 'fulfilled'; value: T } | { state: 'rejected'; error: unknown } | { state: 'pending' };

async function settleWithin<T>(promise: Promise<T>, ms: number, clock: Clock): Promise<Settled<T>> {
  const settled = promise.then(
    (value): Settled<T> => ({ state: 'fulfilled', value }),
    (error: unknown): Settled<T> => ({ state: 'rejected', error }),
  );
  let cancel = (): void => undefined;
  const late = new Promise<Settled<T>>((resolve) => (cancel = clock.setTimeout(() => resolve({ state: 'pending' }), ms)));
  try {
    return await Promise.race([settled, late]);
  } finally {
    cancel();
  }
}

export function registerSubmission(app: App, deps: SlackDeps): void {
  app.view(MODAL_CALLBACK, async ({ ack, body, view }) => {
    const metadata = parseMetadata(view.private_metadata);
    if (!metadata) {
      // No language without the form's metadata: the presser's is looked up (usually known since the form opened).
      await ack({ response_action: 'errors', errors: { [BLOCK.preset]: say('form-out-of-date', {}, await deps.locales.of(body.user.id)) } });
      return;
    }
    const submission = readSubmission(view.state.values, metadata, deps.files.maxBytes);
    if (!submission.ok) {
      await ack({ response_action: 'errors', errors: submission.errors });
      return;
    }
    // A size this engine cannot finish in time is shown on the size field, before anything is fetched.
    try {
      assertSizeFits(deps.queue, submission.options);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      await ack({ response_action: 'errors', errors: { [BLOCK.size]: tell(error.problem, metadata.locale) } });
      return;
    }
    const user = { id: body.user.id, name: body.user.name };
    // Where the bot cannot post, no job could show itself: refused before anything is fetched.
    if (!(await botIsInChannel(deps.client, deps.log, deps.clock, metadata.channel))) {
      deps.log.info({ channel: metadata.channel, user: user.id }, 'job refused: the bot is not in the channel');
      const locale = metadata.locale ?? (await deps.locales.of(user.id));
      await ack({ response_action: 'update', view: noticeModal(say('slack-not-a-member', {}, locale), locale) });
      return;
    }
    const team = body.team?.id ?? body.user.team_id;
    // The workspace's default size where the form left it empty.
    const defaultSize = deps.queue.serverSettings('slack', team).defaultSize;
    const options: JobOptions = submission.options.size === undefined && defaultSize !== undefined ? { ...submission.options, size: defaultSize } : submission.options;
    // The form of the message shortcut opens in any channel: the workspace's channel rule is checked here too.
    const refusal = team ? channelRefusal(deps.queue, team, metadata.channel, metadata.locale) : undefined;
    if (refusal) {
      await ack();
      await notifyUser(deps.client, deps.log, metadata.channel, user.id, refusal);
      return;
    }
    // A place in line before any download: when there is none, the form closes and only the user hears why.
    let place: Reservation;
    try {
      place = await deps.queue.reserve({ platform: 'slack', userId: user.id, ...(team ? { server: team } : {}) });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      await ack();
      await notifyUser(deps.client, deps.log, metadata.channel, user.id, tellInMrkdwn(error.problem, metadata.locale));
      return;
    }
    try {
      await fetchAndLaunch(deps, { ack, metadata, user, ...(team ? { team } : {}), files: submission.files, options, place });
    } finally {
      place.release();
    }
  });
}

interface Intake {
  ack: SlackViewMiddlewareArgs['ack'];
  metadata: ModalMetadata;
  user: { id: string; name: string };
  team?: string;
  files: SubmittedFiles;
  options: JobOptions;
  place: Reservation;
}

/** Fetches the images (when an intake slot is free), answers the form, and queues the job in its place. */
async function fetchAndLaunch(deps: SlackDeps, intake: Intake): Promise<void> {
  const { ack, metadata, user } = intake;
  const library = libraryStyleOf(intake.options);
  const images = deps.intake.run(async () => {
    const style = intake.files.style?.id ?? (library ? await readLibraryStyle(library) : undefined);
    // readSubmission gives a style file or a library style, always one of them.
    if (style === undefined) throw new UserError('style-missing');
    return fetchSlackImages(deps.client, { content: intake.files.content.id, style }, deps.files);
  });
  const early = await settleWithin(images, IMAGE_CHECK_BUDGET_MS, deps.clock);
  // A refusal about one image is shown on its field; images from the shortcut have no field to show it on.
  if (early.state === 'rejected' && early.error instanceof UserError && !metadata.messageFiles) {
    const role = problemRole(early.error.problem);
    if (role) {
      await ack({ response_action: 'errors', errors: { [BLOCK[role]]: tell(early.error.problem, metadata.locale) } });
      return;
    }
  }
  await ack();
  let buffers: Record<ImageRole, Buffer>;
  try {
    buffers = await images;
  } catch (error) {
    // A note is mrkdwn: the file name Slack gave (the user's own) is escaped in it.
    const message = error instanceof UserError ? tellInMrkdwn(error.problem, metadata.locale) : say('images-not-checked', {}, metadata.locale);
    if (!(error instanceof UserError)) deps.log.error({ err: error }, 'reading Slack images failed');
    await notifyUser(deps.client, deps.log, metadata.channel, user.id, message);
    return;
  }
  await launchJob(deps, {
    channel: metadata.channel,
    user,
    locale: metadata.locale ?? (await deps.locales.of(user.id)),
    ...(intake.team ? { team: intake.team } : {}),
    options: intake.options,
    enqueue: (owner) => deps.queue.submit({ ...owner, content: buffers.content, style: buffers.style, options: intake.options }, intake.place),
  });
}
