// The engine's measured speed: milliseconds per pixel of an iteration of an image run whole, over the
// latest iterations. The memory planner turns it into a predicted time per iteration for any size.

/** Iterations the speed is the median of: enough to pass over one slow one, recent enough to follow the machine's load. */
const WINDOW = 16;

export class EngineSpeed {
  private readonly recent: number[] = [];

  /** One iteration over `pixels` took `ms`. */
  record(pixels: number, ms: number): void {
    if (!(pixels > 0 && ms >= 0)) return;
    this.recent.push(ms / pixels);
    if (this.recent.length > WINDOW) this.recent.shift();
  }

  /** Undefined before any iteration. */
  msPerPixel(): number | undefined {
    if (this.recent.length === 0) return undefined;
    const sorted = [...this.recent].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }
}
