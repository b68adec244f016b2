// Progress for the command-line tools (stylize, models:fetch): a live bar on a terminal, and plain lines
// at every tenth of the work otherwise, so that logs and CI output stay readable.
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';

export interface TerminalProgress {
  /** `detail` is shown after the bar (or at the end of the line), e.g. the current losses. */
  update(done: number, detail?: string): void;
  /** Ends the bar; call once, also after a failure. */
  stop(): void;
}

export interface TerminalProgressOptions {
  label: string;
  total: number;
  /** How to print amounts, e.g. formatBytes (src/wording) for downloads; plain numbers by default. */
  formatAmount?: (amount: number) => string;
  /** Where to write; process.stderr by default, so that stdout stays free for results such as --json. */
  stream?: Writable & { isTTY?: boolean };
}

export function createTerminalProgress(options: TerminalProgressOptions): TerminalProgress {
  const stream = options.stream ?? process.stderr;
  const amount = options.formatAmount ?? ((n: number) => String(n));
  return stream.isTTY === true ? barProgress(options, stream, amount) : lineProgress(options, stream, amount);
}

function barProgress(options: TerminalProgressOptions, stream: Writable, amount: (n: number) => string): TerminalProgress {
  const bar = new cliProgress.SingleBar(
    {
      format: `${options.label} [{bar}] {percentage}% | {done}/{all} | ETA {eta_formatted} {detail}`,
      stream: stream as NodeJS.WritableStream,
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(options.total, 0, { done: amount(0), all: amount(options.total), detail: '' });
  let stopped = false;
  return {
    update(done, detail = '') {
      if (!stopped) bar.update(done, { done: amount(done), all: amount(options.total), detail });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

function lineProgress(options: TerminalProgressOptions, stream: Writable, amount: (n: number) => string): TerminalProgress {
  let nextTenth = 1;
  return {
    update(done, detail) {
      const tenth = options.total > 0 ? Math.floor((done / options.total) * 10) : 10;
      if (tenth < nextTenth) return;
      nextTenth = tenth + 1;
      const percent = Math.min(100, tenth * 10);
      stream.write(`${options.label}: ${percent}% (${amount(done)} of ${amount(options.total)})${detail ? ` ${detail}` : ''}\n`);
    },
    stop() {},
  };
}
