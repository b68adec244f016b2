// The image probe's process: reads the headers of each job's two uploads with sharp and says whether they
// are usable. Untrusted bytes are parsed here, never in the bot, which holds the chat tokens; this process
// gets no tokens (an empty environment). It answers one request at a time for as long as the bot keeps it;
// the bot replaces it when it crashes or hangs.
import { probeImage } from '../transfer/index.js';
import { styleRole, UserError, type ImageRole } from '../wording/index.js';
import type { ProbeReady, ProbeReply, ProbeRequest } from './probe-messages.js';

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function check(request: ProbeRequest): Promise<ProbeReply> {
  const named: Array<[ImageRole, Uint8Array]> = [
    ['content', request.content],
    ...[request.style, ...(request.extraStyleImages ?? [])].map((bytes, index): [ImageRole, Uint8Array] => [styleRole(index), bytes]),
  ];
  for (const [role, bytes] of named) {
    try {
      await probeImage(toBuffer(bytes), { role });
    } catch (error) {
      if (error instanceof UserError) return { kind: 'refused', problem: error.problem };
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }
  return { kind: 'ok' };
}

process.on('message', (request: ProbeRequest) => {
  void check(request).then((reply) => process.send?.(reply));
});
// The bot is gone (stopped, or killed): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
process.send?.({ kind: 'ready' } satisfies ProbeReady);
