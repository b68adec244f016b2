// A server's (Discord guild's, Slack workspace's) settings as its admins read them, the same on both
// platforms: what is in force, with the bot-wide limits applied. A long list of allowed channels ends with
// "and N more" so that the answer stays within the platform's limit.
import type { StylizeQueue, Platform, ServerSettings } from '../../queue/index.js';
import { say, type Locale } from '../../wording/index.js';
import { fitCount, joinShown } from './fit.js';
import { DEFAULT_PRESET } from './options.js';
import { DISCORD, SLACK } from './platform-limits.js';

/**
 * The most characters of one text message on each platform (a Discord message's content, a Slack note). The
 * web chat has no servers and no limit of its own: Slack's stands in, should a server's view ever reach it.
 */
export const TEXT_LIMIT: Readonly<Record<Platform, number>> = { discord: DISCORD.content, slack: SLACK.text, web: SLACK.text };

/** A channel mention as both platforms write it in message text: "<#C1>". */
function mention(id: string): string {
  return `<#${id}>`;
}

/**
 * The channels as a message names them, `render(channels)`, with as many as fit in `max` characters:
 * "<#C1>, <#C2> and 98 more".
 */
export function channelList(ids: readonly string[], max: number, locale: Locale | undefined, render: (channels: string) => string): string {
  const mentions = ids.map(mention);
  return joinShown(mentions, fitCount(mentions.length, max, (shown) => render(joinShown(mentions, shown, locale))), locale);
}

/** The message `render(channels)` with as many of the channels as fit in `max` characters. */
export function withChannels(ids: readonly string[], max: number, locale: Locale | undefined, render: (channels: string) => string): string {
  return render(channelList(ids, max, locale, render));
}

/** The settings in force, after `lead` (what was just done) when there is one, within the platform's limit. */
export function describeServerSettings(queue: Pick<StylizeQueue, 'serverLoad' | 'limits'>, platform: Platform, server: string, settings: ServerSettings, locale: Locale, lead?: string): string {
  const load = queue.serverLoad(platform, server);
  const render = (channels: string | undefined): string => {
    const described = say('admin-settings', {
      preset: settings.defaultPreset ?? DEFAULT_PRESET,
      presetIsDefault: settings.defaultPreset === undefined,
      ...(settings.defaultSize === undefined ? {} : { size: settings.defaultSize }),
      ...(channels === undefined ? {} : { channels }),
      userLimit: Math.min(queue.limits.maxPendingPerUser, settings.maxJobsPerUser ?? Infinity),
      ...(settings.maxJobsPerServer === undefined ? {} : { serverLimit: settings.maxJobsPerServer }),
      queueCeiling: queue.limits.maxQueueLength,
      paused: settings.paused === true,
      waiting: load.waiting,
      running: load.running,
    }, locale);
    return lead === undefined ? described : `${lead}\n${described}`;
  };
  const allowed = settings.allowedChannels;
  return allowed ? withChannels(allowed, TEXT_LIMIT[platform], locale, render) : render(undefined);
}
