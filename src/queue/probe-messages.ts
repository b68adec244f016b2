// What the bot and the image probe's process say to each other (structured clone over IPC).
import type { ImageRole } from '../transfer/index.js';

export interface ProbeRequest {
  content: Uint8Array;
  style: Uint8Array;
}

export type ProbeReply = { kind: 'ok' } | { kind: 'refused'; role: ImageRole; message: string } | { kind: 'error'; message: string };
