// Round-robin order across users. Each waiting job gets a "round": a user's first waiting job lands in the
// round after the one running now, their next job one round later, and so on. Jobs run by round, then in
// arrival order within a round, so five jobs from one user interleave with everyone else's instead of
// delaying them. Rounds are journaled, which keeps the order across restarts.

export interface FairEntry {
  id: string;
  /** Who the turn belongs to (platform and user id). */
  userKey: string;
  /** Arrival order, unique and increasing. */
  seq: number;
  round: number;
}

export class FairOrder<T extends FairEntry> {
  private readonly waiting: T[] = [];
  /** Round of the job that started last; new jobs go after it. */
  private currentRound = 0;
  /** Latest round given to each user's waiting or running job. */
  private readonly lastRoundOf = new Map<string, number>();

  /** The round a new job of this user would get. */
  nextRound(userKey: string): number {
    return Math.max(this.currentRound, this.lastRoundOf.get(userKey) ?? 0) + 1;
  }

  /** Adds a job (new, or resumed from the journal with its round) in its fair place. */
  add(entry: T): void {
    this.waiting.push(entry);
    this.waiting.sort((a, b) => a.round - b.round || a.seq - b.seq);
    this.lastRoundOf.set(entry.userKey, Math.max(this.lastRoundOf.get(entry.userKey) ?? 0, entry.round));
  }

  /** Puts back jobs journaled before a restart; new jobs then queue behind them as if nothing happened. */
  restore(entries: readonly T[]): void {
    for (const entry of entries) this.add(entry);
    const first = this.waiting[0];
    // As if the first of them had just started: newcomers queue behind everyone in its round.
    if (first) this.currentRound = Math.max(this.currentRound, first.round);
  }

  /** Takes the job whose turn it is, passing over those `skip` holds back (a paused server's). */
  takeNext(skip?: (entry: T) => boolean): T | undefined {
    const index = skip ? this.waiting.findIndex((entry) => !skip(entry)) : 0;
    if (index < 0) return undefined;
    const [next] = this.waiting.splice(index, 1);
    if (next) this.currentRound = Math.max(this.currentRound, next.round);
    return next;
  }

  remove(id: string): T | undefined {
    const index = this.waiting.findIndex((entry) => entry.id === id);
    if (index < 0) return undefined;
    const [removed] = this.waiting.splice(index, 1);
    return removed;
  }

  /** A user with nothing waiting or running starts over at the current round (no credit for idle time). */
  forgetUserIfIdle(userKey: string, isRunning: boolean): void {
    if (!isRunning && !this.waiting.some((entry) => entry.userKey === userKey)) this.lastRoundOf.delete(userKey);
  }

  /** Positions by job id (1 = next to run). */
  positions(): Map<string, number> {
    return new Map(this.waiting.map((entry, index) => [entry.id, index + 1]));
  }

  get size(): number {
    return this.waiting.length;
  }
}
