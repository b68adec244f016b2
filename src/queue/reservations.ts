// Places in line held for jobs still being prepared (their images downloading and being checked), so the
// per-user and total limits are applied before any byte is fetched. A burst of users then costs at most
// as many downloads as there are places, and the rest are refused at once.

/** A held place; release() gives it back (at most once has an effect) when the job is refused or queued. */
export interface Reservation {
  release(): void;
}

export class Reservations {
  /** userKey -> places that user holds. */
  private readonly held = new Map<string, number>();
  /** serverKey -> places held for jobs asked in that server. */
  private readonly heldInServer = new Map<string, number>();
  private total = 0;

  get size(): number {
    return this.total;
  }

  heldBy(userKey: string): number {
    return this.held.get(userKey) ?? 0;
  }

  heldIn(serverKey: string): number {
    return this.heldInServer.get(serverKey) ?? 0;
  }

  hold(userKey: string, serverKey?: string): Reservation {
    this.held.set(userKey, this.heldBy(userKey) + 1);
    if (serverKey !== undefined) this.heldInServer.set(serverKey, this.heldIn(serverKey) + 1);
    this.total += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total -= 1;
        const left = this.heldBy(userKey) - 1;
        if (left > 0) this.held.set(userKey, left);
        else this.held.delete(userKey);
        if (serverKey === undefined) return;
        const leftInServer = this.heldIn(serverKey) - 1;
        if (leftInServer > 0) this.heldInServer.set(serverKey, leftInServer);
        else this.heldInServer.delete(serverKey);
      },
    };
  }
}
