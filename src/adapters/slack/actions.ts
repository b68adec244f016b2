// The job message's buttons. Their value is the job id, so they keep working after a restart. Only the
// job's owner may run it again; its owner or a workspace admin may cancel it; anyone else gets an ephemeral note.
import type { App, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isOwner } from '../../queue/index.js';
import { say } from '../../wording/index.js';
import { cancelNote } from '../shared/notes.js';
import { nextPreset } from '../shared/presets.js';
import type { RerunDirection } from '../shared/presets.js';
import { ACTION } from './ids.js';
import { launchJob } from './launch.js';
import { readReply } from './job-messages.js';
import { notifyUser } from './notify.js';
import type { SlackDeps } from './deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction>;

/** The channel the button was clicked in (where notes go). */
function clickChannel(body: BlockButtonAction): string | undefined {
  return body.channel?.id ?? body.container?.channel_id;
}

export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ACTION.cancel, async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const jobId = action.value ?? '';
    const job = deps.queue.get(jobId);
    // Slack is asked whether the user is an admin only when it matters: someone else's job.
    const actor = job && !isOwner(job, { platform: 'slack', userId: body.user.id }) ? await deps.admins.actorOf(body.user.id, body.team?.id) : { platform: 'slack' as const, userId: body.user.id };
    const outcome = await deps.queue.cancel(jobId, actor);
    deps.log.info({ jobId: action.value, user: body.user.id, outcome }, 'cancel button');
    const channel = clickChannel(body);
    if (outcome !== 'cancelled' && channel) await notifyUser(deps.client, deps.log, channel, body.user.id, cancelNote(outcome, await deps.locales.of(body.user.id)));
  });

  const rerun = (direction: RerunDirection) => async ({ ack, body, action }: ButtonArgs) => {
    await ack();
    const jobId = action.value ?? '';
    const job = deps.queue.get(jobId);
    const channel = (job && readReply(job.reply)?.channel) ?? clickChannel(body);
    if (!channel) return;
    // Answers and the new job are in the presser's language.
    const locale = await deps.locales.of(body.user.id);
    const note = (text: string) => notifyUser(deps.client, deps.log, channel, body.user.id, text);
    if (!job) return note(say('rerun-images-gone', {}, locale));
    if (!isOwner(job, { platform: 'slack', userId: body.user.id })) return note(say('rerun-not-owner', {}, locale));
    const preset = nextPreset(job.options.preset, direction);
    if (!preset) return note(say('rerun-last-step', { preset: job.options.preset }, locale));
    const options = { ...job.options, preset };
    await launchJob(deps, {
      channel,
      user: { id: body.user.id, name: body.user.name ?? body.user.username ?? body.user.id },
      locale,
      ...(body.team?.id ? { team: body.team.id } : {}),
      options,
      enqueue: (owner) => deps.queue.rerun(jobId, owner, options),
    });
  };
  app.action<BlockButtonAction>(ACTION.moreStyle, rerun('more-style'));
  app.action<BlockButtonAction>(ACTION.moreContent, rerun('more-content'));
}
