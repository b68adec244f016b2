// The image probe's process: reads the headers of one job's two uploads with sharp and says whether they
// are usable, then exits. Untrusted bytes are parsed here, never in the bot, which holds the chat tokens;
// this process gets no tokens (an empty environment) and lives for one check.
import { probeImage } from '../transfer/index.js';
import { UserError } from '../wording/index.js';
import type { ProbeReply, ProbeRequest } from './probe-messages.js';

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function check(request: ProbeRequest): Promise<ProbeReply> {
  for (const role of ['content', 'style'] as const) {
    try {
      await probeImage(toBuffer(request[role]), { role });
    } catch (error) {
      if (error instanceof UserError) return { kind: 'refused', problem: error.problem };
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }
  return { kind: 'ok' };
}

process.once('message', (request: ProbeRequest) => {
  void check(request).then((reply) => process.send?.(reply, () => process.disconnect()));
});
