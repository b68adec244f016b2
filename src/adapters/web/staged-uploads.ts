// The images a browser has dropped or picked, held until it submits a job with them: as a chat platform
// holds an attachment until the bot fetches it. One photo and one style image per browser (a new one
// replaces the old), a cap on how many are held in all (the oldest go first) and a time after which they
// are dropped, so that memory stays bounded whoever uploads.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../queue/index.js';
import type { ImageRole } from '../../wording/index.js';

export interface StagedImage {
  id: string;
  fileName: string;
  bytes: Buffer;
  at: number;
}

/** Images held at once, all browsers together: 16 images of the default 10 MB at most. */
export const MAX_STAGED_IMAGES = 16;
/** An image not used in a job within this time is dropped (the page then asks for it again). */
export const STAGED_FOR_MS = 60 * 60_000;

export class StagedUploads {
  private readonly held = new Map<string, StagedImage>();

  constructor(private readonly clock: Clock) {}

  /** Holds the image as `userId`'s photo or style image; returns its id, which the job's form names. */
  put(userId: string, role: ImageRole, fileName: string, bytes: Buffer): string {
    this.dropExpired();
    const key = `${userId}:${role}`;
    this.held.delete(key);
    while (this.held.size >= MAX_STAGED_IMAGES) {
      const oldest = this.held.keys().next().value;
      if (oldest === undefined) break;
      this.held.delete(oldest);
    }
    const id = randomBytes(8).toString('hex');
    this.held.set(key, { id, fileName, bytes, at: this.clock.now() });
    return id;
  }

  /** The image `userId` holds as `role` under `id`, if it is still held. Another browser's id finds nothing. */
  get(userId: string, role: ImageRole, id: string): StagedImage | undefined {
    this.dropExpired();
    const image = this.held.get(`${userId}:${role}`);
    return image?.id === id ? image : undefined;
  }

  private dropExpired(): void {
    const now = this.clock.now();
    for (const [key, image] of this.held) if (now - image.at > STAGED_FOR_MS) this.held.delete(key);
  }
}
