// `/stylize admin ...`: a workspace's own settings for the bot (src/queue/server-settings.ts), for workspace
// admins and owners only. Text subcommands, since a slash command on Slack has no typed options:
//   show | pause | resume | clear
//   set preset=NAME size=PX user-limit=N server-limit=N   (any of them; `set reset` returns them to the defaults)
//   channels allow | channels disallow   (the channel the command is typed in) | channels everywhere
// Every answer is an ephemeral note to the admin.
import type { StylizeQueue, ServerSettings, ServerSettingsChange } from '../../queue/index.js';
import { say, type Locale } from '../../wording/index.js';
import { MAX_SIZE, MIN_SIZE } from '../shared/options.js';
import { isPresetName } from '../shared/presets.js';
import { notifyUser } from './notify.js';
import type { SlackDeps } from './deps.js';
import { describeServerSettings, TEXT_LIMIT, withChannels } from '../shared/server-settings-view.js';

const ADMIN_WORD = 'admin';
const MAX_LIMIT = 1000;

export interface AdminRequest {
  userId: string;
  team: string;
  channel: string;
  /** The command's text, `admin ...`. */
  text: string;
}

/** Whether the /stylize text asks for the admin command. */
export function isAdminText(text: string | undefined): boolean {
  return text?.trim().split(/\s+/)[0]?.toLowerCase() === ADMIN_WORD;
}

function wholeNumber(value: string, min: number, max: number): number | undefined {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  return number >= min && number <= max ? number : undefined;
}

/** `set key=value ...` as a change; undefined when a part is not understood. */
function setChange(args: string[]): ServerSettingsChange | undefined {
  const change: ServerSettingsChange = {};
  for (const arg of args) {
    if (arg === 'reset') {
      Object.assign(change, { defaultPreset: null, defaultSize: null, maxJobsPerUser: null, maxJobsPerServer: null });
      continue;
    }
    const [key, value = ''] = arg.split('=', 2);
    if (key === 'preset' && isPresetName(value)) change.defaultPreset = value;
    else if (key === 'size' && wholeNumber(value, MIN_SIZE, MAX_SIZE) !== undefined) change.defaultSize = Number(value);
    else if (key === 'user-limit' && wholeNumber(value, 1, MAX_LIMIT) !== undefined) change.maxJobsPerUser = Number(value);
    else if (key === 'server-limit' && wholeNumber(value, 1, MAX_LIMIT) !== undefined) change.maxJobsPerServer = Number(value);
    else return undefined;
  }
  return Object.keys(change).length > 0 ? change : undefined;
}

function channelsChange(args: string[], channel: string, current: ServerSettings): ServerSettingsChange | undefined {
  const channels = new Set(current.allowedChannels ?? []);
  if (args[0] === 'everywhere') return { allowedChannels: null };
  if (args[0] === 'allow') channels.add(channel);
  else if (args[0] === 'disallow') channels.delete(channel);
  else return undefined;
  return { allowedChannels: channels.size > 0 ? [...channels] : null };
}

export async function answerSlackAdmin(deps: SlackDeps, request: AdminRequest): Promise<void> {
  const { queue } = deps;
  const { team, userId, channel } = request;
  const note = (text: string) => notifyUser(deps.client, deps.log, channel, userId, text);
  // Every answer in the admin's own language (Slack's locale of the user, looked up once).
  const locale = await deps.locales.of(userId);
  if (!(await deps.admins.isAdmin(userId))) return note(say('slack-admin-only', {}, locale));
  const [, subcommand = 'show', ...args] = request.text.trim().split(/\s+/);
  const current = queue.serverSettings('slack', team);
  let text: string;
  if (subcommand === 'show') {
    text = describeServerSettings(queue, 'slack', team, current, locale);
  } else if (subcommand === 'pause' || subcommand === 'resume') {
    const settings = await queue.changeServerSettings('slack', team, { paused: subcommand === 'pause' ? true : null });
    text = describeServerSettings(queue, 'slack', team, settings, locale, say(subcommand === 'pause' ? 'admin-paused' : 'admin-resumed', {}, locale));
  } else if (subcommand === 'clear') {
    text = say('admin-cleared', { count: await queue.clearServer('slack', team, { platform: 'slack', userId }) }, locale);
  } else {
    const change = subcommand === 'set' ? setChange(args) : subcommand === 'channels' ? channelsChange(args, channel, current) : undefined;
    if (!change) return note(say('slack-admin-usage', {}, locale));
    text = describeServerSettings(queue, 'slack', team, await queue.changeServerSettings('slack', team, change), locale, say('admin-saved', {}, locale));
  }
  deps.log.info({ team, user: userId, subcommand }, '/stylize admin');
  await note(text);
}

/** Refuses /stylize in a channel the workspace's admins did not allow; the refusal names the allowed ones, in the user's language. */
export function channelRefusal(queue: Pick<StylizeQueue, 'serverSettings'>, team: string, channel: string, locale: Locale | undefined): string | undefined {
  const allowed = queue.serverSettings('slack', team).allowedChannels;
  if (!allowed || allowed.includes(channel)) return undefined;
  return withChannels(allowed, TEXT_LIMIT.slack, locale, (channels) => say('channel-not-allowed', { channels }, locale));
}
