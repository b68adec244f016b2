// The modal's submission: the checks that need no network (the fields, the files as Slack declares them, a
// size this engine can finish) are answered in the modal itself (response_action 'errors'). Then the form is
// answered at once, since Slack waits 3 s at most, network included; the slower checks follow (the bot's
// membership of the channel, the place in line, the images' bytes) and a refusal among them reaches the user
// as a note only they see (in the channel, or the DM with the bot where the bot cannot post).
import type { App } from '@slack/bolt';
import type { JobOptions, Reservation } from '../../queue/index.js';
import { say, tell, UserError } from '../../wording/index.js';
import { fetchSlackImages, type JobImageBytes } from './files.js';
import { BLOCK, MODAL_CALLBACK } from './ids.js';
import { botIsInChannel } from './membership.js';
import { parseMetadata, readSubmission } from './modal.js';
import type { ModalMetadata, SubmittedFiles } from './modal.js';
import { libraryStyleOf } from '../shared/library-choice.js';
import { assertSizeFits } from '../shared/size-gate.js';
import { readLibraryStyle } from '../../styles/library.js';
import { launchJob } from './launch.js';
import { notifyUser } from './notify.js';
import { tellInMrkdwn } from './mrkdwn.js';
import type { SlackDeps } from './deps.js';
import { channelRefusal } from './admin.js';

export function registerSubmission(app: App, deps: SlackDeps): void {
  app.view(MODAL_CALLBACK, async ({ ack, body, view }) => {
    const metadata = parseMetadata(view.private_metadata);
    if (!metadata) {
      // No language without the form's metadata: the presser's as far as it is known (usually since the form
      // opened); the answer cannot wait for a lookup.
      await ack({ response_action: 'errors', errors: { [BLOCK.preset]: say('form-out-of-date', {}, deps.locales.knownNow(body.user.id)) } });
      return;
    }
    const submission = readSubmission(view.state.values, metadata, deps.files.maxBytes, deps.queue.limits.jobTimeoutMs);
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
    // Everything below may take longer than Slack's form waits (3 s in all, network included): the form
    // closes now, and a refusal from here on reaches the user as a note only they see.
    await ack();
    const user = { id: body.user.id, name: body.user.name };
    // Where the bot cannot post, no job could show itself: refused before anything is fetched.
    if (!(await botIsInChannel(deps.client, deps.log, metadata.channel))) {
      deps.log.info({ channel: metadata.channel, user: user.id }, 'job refused: the bot is not in the channel');
      const locale = metadata.locale ?? (await deps.locales.of(user.id));
      await notifyUser(deps.client, deps.log, metadata.channel, user.id, say('slack-not-a-member', {}, locale));
      return;
    }
    const team = body.team?.id ?? body.user.team_id;
    // The workspace's default size where the form left it empty.
    const defaultSize = deps.queue.serverSettings('slack', team).defaultSize;
    const options: JobOptions = submission.options.size === undefined && defaultSize !== undefined ? { ...submission.options, size: defaultSize } : submission.options;
    // The form of the message shortcut opens in any channel: the workspace's channel rule is checked here too.
    const refusal = team ? channelRefusal(deps.queue, team, metadata.channel, metadata.locale) : undefined;
    if (refusal) {
      await notifyUser(deps.client, deps.log, metadata.channel, user.id, refusal);
      return;
    }
    // A place in line before any download: when there is none, only the user hears why.
    let place: Reservation;
    try {
      place = await deps.queue.reserve({ platform: 'slack', userId: user.id, ...(team ? { server: team } : {}) });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      await notifyUser(deps.client, deps.log, metadata.channel, user.id, tellInMrkdwn(error.problem, metadata.locale));
      return;
    }
    try {
      await fetchAndLaunch(deps, { metadata, user, ...(team ? { team } : {}), files: submission.files, options, place });
    } finally {
      place.release();
    }
  });
}

interface Intake {
  metadata: ModalMetadata;
  user: { id: string; name: string };
  team?: string;
  files: SubmittedFiles;
  options: JobOptions;
  place: Reservation;
}

/** Fetches and checks the images (when an intake slot is free), then queues the job in its place. */
async function fetchAndLaunch(deps: SlackDeps, intake: Intake): Promise<void> {
  const { metadata, user } = intake;
  const library = libraryStyleOf(intake.options);
  const second = intake.options.extraStyles?.[0];
  const images = deps.intake.run(async () => {
    const style = intake.files.style?.id ?? (library ? await readLibraryStyle(library) : undefined);
    // readSubmission gives a style file or a library style, always one of them; the same for a second style.
    if (style === undefined) throw new UserError('style-missing');
    const secondPainting = second ? libraryStyleOf(second) : undefined;
    const style2 = intake.files.style2?.id ?? (secondPainting ? await readLibraryStyle(secondPainting) : undefined);
    if (second && style2 === undefined) throw new UserError('style-missing');
    return fetchSlackImages(deps.client, { content: intake.files.content.id, style, ...(style2 !== undefined ? { extraStyles: [style2] } : {}) }, deps.files);
  });
  let buffers: JobImageBytes;
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
    enqueue: (owner) => deps.queue.submit({ ...owner, ...buffers, options: intake.options }, intake.place),
  });
}
