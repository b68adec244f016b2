// The bytes of a job's two images, checked before anything is stored: a bad upload is refused at once, not
// after a wait in line. The images are parsed in a process of their own, never in the bot's (image-probe.ts).
import type { Logger } from 'pino';
import { UserError } from '../wording/index.js';
import { ProbeFailedError, probeInChild } from './image-probe.js';

export async function checkImages(images: Record<'content' | 'style', Buffer>, maxInputBytes: number, log: Logger): Promise<void> {
  for (const role of ['content', 'style'] as const) {
    const bytes = images[role];
    if (bytes.length === 0) throw new UserError('image-empty', { role });
    if (bytes.length > maxInputBytes) throw new UserError('image-too-large', { role, bytes: bytes.length, maxBytes: maxInputBytes });
  }
  try {
    // A refused image throws a UserError that names it.
    await probeInChild({ content: images.content, style: images.style });
  } catch (error) {
    if (!(error instanceof ProbeFailedError)) throw error;
    log.warn({ err: error }, 'image check failed');
    throw new UserError('images-not-checked');
  }
}
