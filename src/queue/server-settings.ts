// Per-server settings, chosen by a server's admins (Discord: Manage Server; Slack: workspace admins) and kept
// in the journal's LevelDB under their own keys, so they survive restarts. The bot-wide limits of the
// environment stay the ceilings: a server may only tighten them (see JobQueue.reserve).
import { PRESETS, type PresetName } from '../transfer/index.js';
import type { Platform } from './types.js';

export interface ServerSettings {
  /** Used when /stylize names no style ratio. */
  defaultPreset?: PresetName;
  /** Used when /stylize names no size. */
  defaultSize?: number;
  /** Channel ids where /stylize may be used; absent or empty: everywhere. */
  allowedChannels?: string[];
  /** Jobs one person may have waiting or running in this server (at most the bot-wide limit). */
  maxJobsPerUser?: number;
  /** Jobs this server may have waiting or running (at most the bot-wide queue length). */
  maxJobsPerServer?: number;
  /** Paused: the server's jobs stay in line but do not run until resumed. */
  paused?: boolean;
}

/** A change to a server's settings: a value sets it, null returns it to the default. */
export type ServerSettingsChange = { [K in keyof ServerSettings]?: ServerSettings[K] | null };

/** Where the settings are kept (the journal). */
export interface ServerSettingsStore {
  serverSettings(): Promise<Array<{ key: string; value: unknown }>>;
  saveServerSettings(key: string, value: ServerSettings): Promise<void>;
}

function keyOf(platform: Platform, server: string): string {
  return `${platform}:${server}`;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The usable fields of a stored record; anything else is dropped (a hand-edited or older record). */
export function parseServerSettings(value: unknown): ServerSettings {
  if (typeof value !== 'object' || value === null) return {};
  const raw = value as Record<string, unknown>;
  const settings: ServerSettings = {};
  const preset = raw['defaultPreset'];
  if (typeof preset === 'string' && Object.hasOwn(PRESETS, preset)) settings.defaultPreset = preset as PresetName;
  const defaultSize = positiveInteger(raw['defaultSize']);
  if (defaultSize !== undefined) settings.defaultSize = defaultSize;
  const channels = raw['allowedChannels'];
  if (Array.isArray(channels) && channels.every((id) => typeof id === 'string') && channels.length > 0) settings.allowedChannels = [...(channels as string[])];
  const perUser = positiveInteger(raw['maxJobsPerUser']);
  if (perUser !== undefined) settings.maxJobsPerUser = perUser;
  const perServer = positiveInteger(raw['maxJobsPerServer']);
  if (perServer !== undefined) settings.maxJobsPerServer = perServer;
  if (raw['paused'] === true) settings.paused = true;
  return settings;
}

export class ServerSettingsBook {
  private readonly byServer = new Map<string, ServerSettings>();
  /** Changes made here so far, and the count at each server's latest: a load under way never undoes a newer change. */
  private changes = 0;
  private readonly changedAt = new Map<string, number>();

  constructor(private readonly store: ServerSettingsStore) {}

  /** Reads every server's settings (again: a cluster's front-ends read what another changed). */
  async load(): Promise<void> {
    const from = this.changes;
    for (const { key, value } of await this.store.serverSettings()) {
      if ((this.changedAt.get(key) ?? 0) > from) continue;
      this.byServer.set(key, parseServerSettings(value));
    }
  }

  /** The server's settings (a copy; empty for a server that never changed any, and for DMs). */
  get(platform: Platform, server: string | undefined): ServerSettings {
    if (server === undefined) return {};
    return structuredClone(this.byServer.get(keyOf(platform, server)) ?? {});
  }

  /** Applies `change`, journals the result (synced) and returns it; the old settings stay if the write fails. */
  async change(platform: Platform, server: string, change: ServerSettingsChange): Promise<ServerSettings> {
    const next: Record<string, unknown> = { ...this.get(platform, server) };
    for (const [field, value] of Object.entries(change)) {
      if (value === null || value === undefined) delete next[field];
      else next[field] = value;
    }
    const settings = parseServerSettings(next);
    await this.store.saveServerSettings(keyOf(platform, server), settings);
    this.byServer.set(keyOf(platform, server), settings);
    this.changedAt.set(keyOf(platform, server), ++this.changes);
    return structuredClone(settings);
  }
}
