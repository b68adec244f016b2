// A burst: 100 users send /stylize at once with two 10 MiB images each, against a throttled CDN. Every
// interaction is acknowledged before any download completes (the CDN holds every answer until all are
// acknowledged), at most 4 downloads run at once (2 uploads of 2 images), those over the queue's limit are
// refused without a download, and the bot's memory stays bounded. The figures are printed:
//   npx vitest run test/discord-burst.test.ts
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startScriptedHarness } from './fake-discord/harness.js';
import type { ScriptedHarness } from './fake-discord/harness.js';
import type { HostedFile } from './fake-discord/attachment-host.js';
import { callback, ephemeralReply, replyEdits } from './fake-discord/inspect.js';
import { makeGradientPng } from './fixtures/images.js';

const USERS = 100;
const QUEUE_LENGTH = 20;
/** DEFAULT_INTAKE_CONCURRENCY uploads at once, two images each. */
const MAX_DOWNLOADS = 4;
const IMAGE_BYTES = 10 * 1024 * 1024;
/**
 * The bot's RSS may grow this much over the burst. At most 2 uploads (40 MiB of images) are in memory at
 * once, plus their copies while they are checked and journaled; without the caps the 200 images alone would
 * be 2 GiB. The margin covers a garbage collector that runs late on a loaded machine.
 */
const RSS_BOUND_BYTES = 400 * 1024 * 1024;
const MiB = 1024 * 1024;

let h: ScriptedHarness;

beforeAll(async () => {
  h = await startScriptedHarness({}, { maxQueueLength: QUEUE_LENGTH });
  await h.startBot();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** A real PNG header (what the image check reads) padded to exactly 10 MiB, the largest upload taken. */
async function tenMebibyteImage(): Promise<Buffer> {
  const png = await makeGradientPng(64, 48, 9);
  return Buffer.concat([png, Buffer.alloc(IMAGE_BYTES - png.length)]);
}

describe('a burst of 100 users', () => {
  test('every interaction is acknowledged at once, downloads are capped, the rest refused without one', async () => {
    const { fake, host } = h;
    const cdn = host.server;
    h.engine.script = undefined; // jobs stay in the engine: nothing frees a place during the burst
    const image = await tenMebibyteImage();
    const throttled = { bytesPerSecond: 40 * MiB };
    const files: Array<{ content: HostedFile; style: HostedFile }> = [];
    for (let i = 0; i < USERS; i++) {
      files.push({ content: host.add(`photo-${i}.png`, image, 'image/png', throttled), style: host.add(`style-${i}.png`, image, 'image/png', throttled) });
    }
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);
    try {
      // No download may complete until every interaction is acknowledged.
      cdn.hold();
      const interactions = files.map((pair, i) => fake.sendStylize({ user: fake.makeUser(`user${i}`), content: { file: pair.content }, style: { file: pair.style }, size: 32 }));
      await fake.waitFor(() => interactions.every((interaction) => interaction.ackedAt !== undefined), 30_000, 'every interaction acknowledged');
      expect(cdn.completed).toBe(0);
      const ackMs = interactions.map((interaction) => (interaction.ackedAt ?? 0) - interaction.dispatchedAt).sort((a, b) => a - b);
      const inFlightAtAcks = cdn.inFlight;
      cdn.resume();

      const deferred = interactions.filter((interaction) => (callback(fake, interaction)?.body as { type?: number }).type === 5);
      const refused = interactions.filter((interaction) => ephemeralReply(fake, interaction) !== undefined);
      expect(deferred).toHaveLength(QUEUE_LENGTH);
      expect(refused).toHaveLength(USERS - QUEUE_LENGTH);
      for (const interaction of refused) expect(ephemeralReply(fake, interaction)).toMatch(/^⚠️ The queue is full/);

      // Every accepted job is queued (its reply says where it is in line, or that it runs).
      await fake.waitFor(() => deferred.every((interaction) => replyEdits(fake, interaction).length > 0), 120_000, 'every accepted job queued');
      const rssGrowth = rssPeak - rssBefore;
      // Only the accepted users' images were fetched, each once.
      expect(host.requests).toHaveLength(2 * QUEUE_LENGTH);
      expect(cdn.maxInFlight).toBeLessThanOrEqual(MAX_DOWNLOADS);
      console.log(
        `burst of ${USERS} users, 2 x 10 MiB each: acks ${ackMs[0]}-${ackMs.at(-1)} ms (median ${ackMs[Math.floor(ackMs.length / 2)]} ms), ` +
          `all before any download completed (${inFlightAtAcks} waiting at the CDN); ${deferred.length} accepted, ${refused.length} refused without a download; ` +
          `at most ${cdn.maxInFlight} concurrent downloads (cap ${MAX_DOWNLOADS}); ${host.requests.length} downloads in all; ` +
          `bot RSS growth ${(rssGrowth / MiB).toFixed(0)} MiB (bound ${RSS_BOUND_BYTES / MiB} MiB)`,
      );
      expect(rssGrowth).toBeLessThan(RSS_BOUND_BYTES);
    } finally {
      clearInterval(sampler);
      cdn.resume();
    }
  }, 180_000);
});
