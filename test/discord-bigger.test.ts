// Bigger on Discord (issue 21): past the 1024 px a user may type, the result's Bigger button steps 1024 ->
// 1448 -> 2048 px where the queue's estimate of a Bigger job (only the scales above the picture) fits the
// job time limit, else offers the largest size that does, else nothing. Pressing it queues a job that goes
// on from the picture: the scripted engine gets the picture and the long side it starts above. The engine
// is onnx-cpu at the bench prior (9.2 s per megapixel-iteration), and every job reports the seconds that
// prior gives its work, so the estimates stay exact; the job time limit is 10 min (80% usable: 480 s).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { continuedIterations, continuedWork, plannedWork } from '../src/transfer/index.js';
import { startScriptedHarness, type ScriptedHarness } from './fake-discord/harness.js';
import { resultsIn, waitForResult } from './fake-discord/inspect.js';
import type { ScriptedRun } from './fixtures/scripted-engine.js';

const RATE_S = 9.2;
let h: ScriptedHarness;

beforeAll(async () => {
  h = await startScriptedHarness({}, { maxPendingPerUser: 3, jobTimeoutMs: 10 * 60_000 });
  await h.startBot();
  h.engine.ready({ backend: 'onnx-cpu', defaultSize: 512, defaultIterations: 150, networkCost: 1 });
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** The size the message's Bigger button offers, none when it has none. */
function biggerOffer(messageId: string): { id: string; size: number } | undefined {
  const id = h.fake.buttonIds(messageId).find((button) => button.startsWith('stylize:bigger:'));
  return id === undefined ? undefined : { id, size: Number(id.split(':')[2]) };
}

/** Finishes a run as the engine would at the prior's speed (Bigger runs: a tenth of the iterations, on the scales above the picture). */
async function finishAtPrior(run: ScriptedRun, size: number): Promise<void> {
  const width = size;
  const height = Math.round(size * 0.75);
  const startAbove = run.options.startAbove;
  const iterations = startAbove === undefined ? 150 : continuedIterations(150);
  const work = startAbove === undefined ? plannedWork(width, height, iterations) : continuedWork(width, height, iterations, startAbove);
  await run.finish(undefined, { iterations, seconds: RATE_S * work });
}

describe('Discord Bigger past 1024 px', () => {
  test('offers 1448 px from 1024, then the largest size that fits below 2048, then nothing; each goes on from the picture before', async () => {
    const { fake } = h;
    const user = fake.makeUser('wen');
    const job = fake.sendStylize({ user, content: { file: h.bigContent }, style: { file: h.style }, size: 1024, seed: 2 });
    await finishAtPrior(await h.engine.nth(0), 1024);
    const first = await waitForResult(fake, job);
    const threadId = first.message.channel_id;

    // From scratch 1448 px would take 886 s here, over the 480 s; as Bigger from 1024 px, 289 s.
    const to1448 = biggerOffer(first.message.id);
    expect(to1448?.size).toBe(1448);
    fake.clickButton(user, first.message.id, to1448?.id ?? '');
    const second = await h.engine.nth(1);
    expect(second.options).toEqual({ preset: 'balanced', size: 1448, seed: 2, startAbove: 1024 });
    expect(second.init?.equals(first.png.data ?? Buffer.alloc(0))).toBe(true);
    await finishAtPrior(second, 1448);
    await fake.waitFor(() => resultsIn(fake, threadId).length === 2, 30_000, 'the 1448 px result');
    const at1448 = resultsIn(fake, threadId)[1];
    expect(at1448?.content).toContain('1448×1086 px');

    // 2048 px as Bigger would take 579 s: the largest that fits is 1856 px (475 s; 1888 px would take 492 s).
    const to1856 = biggerOffer(at1448?.id ?? '');
    expect(to1856?.size).toBe(1856);
    fake.clickButton(user, at1448?.id ?? '', to1856?.id ?? '');
    const third = await h.engine.nth(2);
    expect(third.options).toMatchObject({ size: 1856, startAbove: 1448 });
    await finishAtPrior(third, 1856);
    await fake.waitFor(() => resultsIn(fake, threadId).length === 3, 30_000, 'the 1856 px result');

    // Nothing bigger fits in time: no Bigger button.
    expect(biggerOffer(resultsIn(fake, threadId)[2]?.id ?? '')).toBeUndefined();
  }, 60_000);
});
