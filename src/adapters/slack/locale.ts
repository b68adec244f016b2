// The language of a Slack user. Slack's payloads (slash commands, views, button presses) carry no locale,
// so it is asked of users.info (include_locale; scope users:read) and kept a while per user. A lookup that
// fails (no scope yet, an unknown user) or is slow reads English: a message is never held up for its
// language longer than LOOKUP_BUDGET_MS, and the lookup that arrives late still fills the cache.
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../queue/index.js';
import { DEFAULT_LOCALE, localeFrom, type Locale } from '../../wording/index.js';
import { slackErrorCode } from './files.js';

/** How long a user's language is kept: a change in their Slack settings shows within this time. */
const KEEP_MS = 10 * 60_000;
/** The longest a message waits for the lookup (a network deadline: a real timer, see src/queue/clock.ts). */
const LOOKUP_BUDGET_MS = 1_000;
/** Users kept at most; the oldest go first. */
const MAX_USERS = 5_000;

interface Known {
  locale: Promise<Locale>;
  /** The answer, once it came. */
  settled?: Locale;
  at: number;
}

export class UserLocales {
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  /** The user's language, English when Slack does not say within the budget. */
  async of(userId: string): Promise<Locale> {
    let entry = this.known.get(userId);
    if (!entry || this.clock.now() - entry.at >= KEEP_MS) entry = this.start(userId);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Locale>((resolve) => (timer = setTimeout(() => resolve(DEFAULT_LOCALE), LOOKUP_BUDGET_MS)));
    try {
      return await Promise.race([entry.locale, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The user's language as far as it is known now, without waiting (English when it is not): for answers
   * that must go at once. A lookup starts for the next time.
   */
  knownNow(userId: string): Locale {
    const entry = this.known.get(userId);
    if (entry && this.clock.now() - entry.at < KEEP_MS) return entry.settled ?? DEFAULT_LOCALE;
    this.start(userId);
    return DEFAULT_LOCALE;
  }

  private start(userId: string): Known {
    const entry: Known = { locale: this.lookUp(userId), at: this.clock.now() };
    void entry.locale.then((locale) => (entry.settled = locale));
    this.known.delete(userId);
    this.known.set(userId, entry);
    if (this.known.size > MAX_USERS) this.known.delete(this.known.keys().next().value ?? '');
    return entry;
  }

  private async lookUp(userId: string): Promise<Locale> {
    try {
      const answer = await this.client.users.info({ user: userId, include_locale: true });
      return localeFrom(answer.user?.locale);
    } catch (error) {
      // Kept as English for KEEP_MS too: a missing users:read scope would otherwise be asked again each message.
      this.log.info({ user: userId, error: slackErrorCode(error) }, "could not read the user's language; writing in English");
      return DEFAULT_LOCALE;
    }
  }
}
