// What the bot and the image probe's process say to each other (structured clone over IPC).
import type { UserProblem } from '../wording/index.js';

export interface ProbeRequest {
  content: Uint8Array;
  style: Uint8Array;
  /** A blend's style images after the first, in order. */
  extraStyleImages?: Uint8Array[];
}

/** 'refused': an image the user must replace (a UserError's problem, which names the image). */
export type ProbeReply = { kind: 'ok' } | { kind: 'refused'; problem: UserProblem } | { kind: 'error'; message: string };

/** The process's first message: it has loaded its decoder and takes requests, one at a time. */
export interface ProbeReady {
  kind: 'ready';
}
