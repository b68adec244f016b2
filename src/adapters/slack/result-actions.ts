// Clicks on a done job message's buttons beyond "run again" (see shared/result-actions.ts). Bigger, the
// colours and the brush sizes run the job again for its owner; "Use as photo" / "Use as style" start a job of the clicker's own
// from the picture (anyone in the channel may: they see it); Details is a note only the clicker sees;
// Delete (owner or a workspace admin, see queue/owners.ts) removes the picture and previews from the thread, the job message,
// and everything the bot kept of the job.
import type { App, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isOwner } from '../../queue/index.js';
import type { DeleteOutcome, JobInfo, JobOptions, JobOwner } from '../../queue/index.js';
import { say, type Locale } from '../../wording/index.js';
import { describeSettings } from '../shared/job-view.js';
import { BRUSH_SIZES } from '../shared/blend.js';
import { biggerOptions, brushOptions, coloursOptions, reuseOptions } from '../shared/result-actions.js';
import { slackErrorCode } from './files.js';
import { ACTION, BRUSH_ACTION } from './ids.js';
import { readReply, type SlackReply } from './job-messages.js';
import { launchJob } from './launch.js';
import { notifyUser } from './notify.js';
import type { SlackDeps } from './deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction>;

const DELETE_NOTE: Readonly<Record<Exclude<DeleteOutcome, 'deleted'>, 'delete-not-owner' | 'delete-not-found' | 'delete-not-finished'>> = {
  'not-owner': 'delete-not-owner',
  'not-found': 'delete-not-found',
  'not-finished': 'delete-not-finished',
};

/** The click's job id and the argument after it ("<job id>:<argument>"). */
function splitValue(value: string | undefined): { jobId: string; arg: string | undefined } {
  const [jobId = '', arg] = (value ?? '').split(':');
  return { jobId, arg };
}

export function registerResultActions(app: App, deps: SlackDeps): void {
  /** Runs `handle` with the clicked job (if still kept), the clicker and a note to them in the job's channel. */
  const on = (actionId: string, handle: (click: Click) => Promise<unknown>) =>
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action }: ButtonArgs) => {
      await ack();
      const { jobId, arg } = splitValue(action.value);
      const job = deps.queue.get(jobId);
      const channel = (job && readReply(job.reply)?.channel) ?? body.channel?.id ?? body.container?.channel_id;
      if (!channel) return;
      const user = { id: body.user.id, name: body.user.name ?? body.user.username ?? body.user.id };
      const team = body.team?.id ?? undefined;
      // Notes are in the clicker's language, which need not be the job owner's.
      const locale = await deps.locales.of(user.id);
      await handle({ jobId, arg, job, channel, user, team, locale, note: (text) => notifyUser(deps.client, deps.log, channel, user.id, text) });
    });

  const startFrom = (click: Click, options: JobOptions, enqueue: (owner: JobOwner) => Promise<JobInfo>) =>
    launchJob(deps, { channel: click.channel, user: click.user, options, enqueue, locale: click.locale, ...(click.team ? { team: click.team } : {}) });

  // `how`: a rerun on the job's images, or Bigger, which goes on from its picture.
  const rerunAs = (click: Click, options: (job: JobInfo) => JobOptions | undefined, how: 'rerun' | 'bigger' = 'rerun') => {
    const { job } = click;
    if (!job) return click.note(say('rerun-images-gone', {}, click.locale));
    if (!isOwner(job, { platform: 'slack', userId: click.user.id })) return click.note(say('rerun-not-owner', {}, click.locale));
    const next = options(job);
    if (!next) return Promise.resolve();
    return startFrom(click, next, (owner) => deps.queue[how](click.jobId, owner, next));
  };

  on(ACTION.bigger, (click) => rerunAs(click, (job) => (click.arg && /^\d+$/.test(click.arg) ? biggerOptions(job.options, Number(click.arg)) : undefined), 'bigger'));
  on(ACTION.colours, (click) => rerunAs(click, (job) => coloursOptions(job.options, click.arg === 'keep')));
  for (const brush of BRUSH_SIZES) on(BRUSH_ACTION[brush], (click) => rerunAs(click, (job) => brushOptions(job.options, brush)));

  const useAs = (role: 'content' | 'style') => (click: Click) => {
    if (!click.job) return click.note(say('rerun-images-gone', {}, click.locale));
    const options = reuseOptions(click.job.options, role);
    return startFrom(click, options, (owner) => deps.queue.reuseResult(click.jobId, role, owner, options));
  };
  on(ACTION.usePhoto, useAs('content'));
  on(ACTION.useStyle, useAs('style'));

  on(ACTION.details, async (click) => {
    const result = await deps.queue.resultOf(click.jobId);
    if (!click.job || !result) return click.note(say('delete-not-found', {}, click.locale));
    return click.note([say('details-heading', {}, click.locale), ...describeSettings(click.job.options, result, click.locale).map((line) => `• ${line}`)].join('\n'));
  });

  on(ACTION.delete, async (click) => {
    const reply = click.job && readReply(click.job.reply);
    const outcome = await deps.queue.deleteJob(click.jobId, await deps.admins.actorOf(click.user.id, click.team));
    deps.log.info({ jobId: click.jobId, user: click.user.id, outcome }, 'delete button');
    if (outcome !== 'deleted') return click.note(say(DELETE_NOTE[outcome], {}, click.locale));
    if (reply) await removeFromSlack(deps, click.jobId, reply);
    return click.note(say('delete-done', {}, click.locale));
  });
}

interface Click {
  jobId: string;
  arg: string | undefined;
  job: JobInfo | undefined;
  channel: string;
  user: { id: string; name: string };
  /** The workspace the click came from: its admins moderate its jobs. */
  team: string | undefined;
  locale: Locale;
  note(text: string): Promise<void>;
}

/** The picture and the previews in the job's thread, then the job message; what Slack refuses is logged and left. */
async function removeFromSlack(deps: SlackDeps, jobId: string, reply: SlackReply): Promise<void> {
  const warn = (what: string) => (error: unknown) => deps.log.warn({ jobId, error: slackErrorCode(error) }, `could not remove the deleted job's ${what}`);
  const replies = await deps.client.conversations.replies({ channel: reply.channel, ts: reply.ts, limit: 200 }).catch(warn('thread'));
  // The bot's own uploads for this job: the result (named after the job) and its previews.
  const files = (replies?.messages ?? []).flatMap((message) => message.files ?? []).filter((file) => file.id && (file.name?.endsWith(`-${jobId}.png`) || file.name?.startsWith('preview-')));
  for (const file of files) await deps.client.files.delete({ file: file.id ?? '' }).catch(warn('file'));
  await deps.client.chat.delete({ channel: reply.channel, ts: reply.ts }).catch(warn('message'));
}
