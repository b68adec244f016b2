// A server's (Discord guild's, Slack workspace's) settings as its admins read them, the same on both
// platforms: what is in force, with the bot-wide limits applied.
import type { StylizeQueue, Platform, ServerSettings } from '../../queue/index.js';
import { say, type Locale } from '../../wording/index.js';
import { DEFAULT_PRESET } from './options.js';

/** Channel mentions as both platforms write them in message text: "<#C1>, <#C2>". */
export function channelMentions(ids: readonly string[]): string {
  return ids.map((id) => `<#${id}>`).join(', ');
}

export function describeServerSettings(queue: StylizeQueue, platform: Platform, server: string, settings: ServerSettings, locale: Locale): string {
  const load = queue.serverLoad(platform, server);
  return say('admin-settings', {
    preset: settings.defaultPreset ?? DEFAULT_PRESET,
    presetIsDefault: settings.defaultPreset === undefined,
    ...(settings.defaultSize === undefined ? {} : { size: settings.defaultSize }),
    ...(settings.allowedChannels ? { channels: channelMentions(settings.allowedChannels) } : {}),
    userLimit: Math.min(queue.limits.maxPendingPerUser, settings.maxJobsPerUser ?? Infinity),
    ...(settings.maxJobsPerServer === undefined ? {} : { serverLimit: settings.maxJobsPerServer }),
    queueCeiling: queue.limits.maxQueueLength,
    paused: settings.paused === true,
    waiting: load.waiting,
    running: load.running,
  }, locale);
}
