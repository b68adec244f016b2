// Every Discord interaction is answered (or deferred) before the bot touches the disk or the network:
// Discord gives an answer 3 s, and a slow disk or a queue on other servers must not make a click fail.
// The slow disk is the real journal stalled by the test (no sleeps): each click's answer must be in before
// the test lets the disk go on.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDiscordAdapter } from '../src/adapters/discord/index.js';
import { JobQueue } from '../src/queue/index.js';
import type { Reservation, StylizeQueue } from '../src/queue/index.js';
import { startScriptedHarness } from './fake-discord/harness.js';
import type { ScriptedHarness } from './fake-discord/harness.js';
import { callback, ephemeralReply, waitForResult } from './fake-discord/inspect.js';
import type { InteractionRef } from './fake-discord/inspect.js';
import { captureLog } from './fixtures/capture-log.js';
import { finishAtOnce, ScriptedEngine } from './fixtures/scripted-engine.js';
import { SlowDiskJournal } from './fixtures/slow-disk-journal.js';

let h: ScriptedHarness;

beforeAll(async () => {
  h = await startScriptedHarness();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** Runs `body` with a bot (a queue on `journal`, a Discord adapter) whose queue `wrap` may replace. */
async function withBot(journal: SlowDiskJournal, wrap: (queue: JobQueue) => StylizeQueue, body: (engine: ScriptedEngine) => Promise<void>): Promise<void> {
  const { fake, clock } = h;
  const { log } = captureLog();
  const engine = new ScriptedEngine();
  engine.script = finishAtOnce;
  const queue = new JobQueue({ engine, clock, dataDir: journal.dataDir, log, journal });
  const adapter = createDiscordAdapter({
    config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, attachmentHosts: [h.host.host] },
    queue: wrap(queue),
    log,
    clock,
  });
  await queue.start();
  await adapter.start();
  try {
    await body(engine);
  } finally {
    await queue.stop();
    await adapter.stop();
  }
}

/** The deferral of a click, once it is there: ephemeral when only the clicker is to see the answer. */
function deferral(interaction: InteractionRef): { type?: number; data?: { flags?: number } } | undefined {
  return callback(h.fake, interaction)?.body as { type?: number; data?: { flags?: number } } | undefined;
}

test('Details and Delete on a slow disk: each click is answered before the disk is read or changed', async () => {
  const { fake } = h;
  const journal = new SlowDiskJournal(await h.dataDir());
  await withBot(journal, (queue) => queue, async () => {
    const vera = fake.makeUser('vera');
    const job = fake.sendStylize({ user: vera, content: { file: h.content }, style: { file: h.style }, size: 32 });
    const result = await waitForResult(fake, job);
    const button = (prefix: string) => fake.buttonIds(result.message.id).find((id) => id.startsWith(prefix)) ?? '';

    journal.stall();
    const details = fake.clickButton(vera, result.message.id, button('stylize:details:'));
    // Deferred, for the clicker only, while the picture's description is still on its way from the disk.
    await fake.waitFor(() => deferral(details) && journal.waiting > 0, 10_000, 'the deferral of Details while the disk is slow');
    expect(deferral(details)).toMatchObject({ type: 5, data: { flags: 64 } });
    journal.go();
    await fake.waitFor(() => ephemeralReply(fake, details), 10_000, 'the details');
    expect(ephemeralReply(fake, details)).toContain('Style ratio: Balanced');

    journal.stall();
    const deletion = fake.clickButton(vera, result.message.id, button('stylize:delete:'));
    await fake.waitFor(() => deferral(deletion) && journal.waiting > 0, 10_000, 'the deferral of Delete while the disk is slow');
    expect(deferral(deletion)).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(fake.messages.get(result.message.id)?.deleted).toBe(false);
    journal.go();
    await fake.waitFor(() => fake.messages.get(result.message.id)?.deleted && ephemeralReply(fake, deletion), 10_000, 'the picture message removed');
    expect(ephemeralReply(fake, deletion)).toMatch(/^Deleted: /);
  });
}, 60_000);

test('a queue that answers over the network (cluster mode): /stylize is deferred before the place in line is known', async () => {
  const { fake } = h;
  let answer = (): void => undefined;
  const reserving: Array<Promise<Reservation>> = [];
  // The queue's reserve() as a cluster's: an answer that comes when its servers reply (here: when the test says).
  const remote = (queue: JobQueue): StylizeQueue =>
    new Proxy(queue, {
      get(target, key) {
        if (key === 'reserve') {
          return (...args: Parameters<JobQueue['reserve']>) => {
            const place = new Promise<void>((resolve) => (answer = resolve)).then(() => target.reserve(...args));
            reserving.push(place);
            return place;
          };
        }
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  await withBot(new SlowDiskJournal(await h.dataDir()), remote, async () => {
    const job = fake.sendStylize({ user: fake.makeUser('wim'), content: { file: h.content }, style: { file: h.style }, size: 32 });
    await fake.waitFor(() => deferral(job) && reserving.length > 0, 10_000, 'the deferral while the place is reserved');
    expect(deferral(job)?.type).toBe(5);
    answer();
    await waitForResult(fake, job);
  });
}, 60_000);
