// A painting time on Discord (issue 21): /stylize painting_time reaches the engine as its time budget, the
// job's heading and Details show it, and a time that no longer fits the job time limit (registered under a
// longer one) is capped to the longest that does. The real bot and discord.js client against the fake Discord,
// jobs on the scripted engine.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startScriptedHarness, type ScriptedHarness } from './fake-discord/harness.js';
import { contentOf, ephemeralReply, replyEdits, waitForResult } from './fake-discord/inspect.js';
import { finishAtOnce } from './fixtures/scripted-engine.js';

let h: ScriptedHarness;

beforeAll(async () => {
  // A five-minute limit: one and two minutes fit, with room for the engine's start and the picture.
  h = await startScriptedHarness({}, { jobTimeoutMs: 5 * 60_000, maxPendingPerUser: 3 });
  await h.startBot();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('Discord painting time', () => {
  test('a picked time reaches the engine as its budget; the heading and Details show it', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const job = fake.sendStylize({ user: fake.makeUser('ada'), content: { file: h.content }, style: { file: h.style }, paintingTime: 2, size: 64 });
    const result = await waitForResult(fake, job);
    expect(h.engine.runs.at(-1)?.options).toEqual({ preset: 'balanced', size: 64, timeBudgetMs: 120_000 });
    expect(contentOf(replyEdits(fake, job)[0] ?? ({} as never))).toContain('Balanced · 64 px · 2 min');
    const details = fake.clickButton(fake.makeUser('curious'), result.message.id, h.fake.buttonIds(result.message.id).find((id) => id.startsWith('stylize:details:')) ?? '');
    await fake.waitFor(() => ephemeralReply(fake, details), 5000, 'the details');
    expect(ephemeralReply(fake, details)).toContain('• Painting time: 2 min');
  });

  test('a time registered under a longer limit is capped to the longest that fits now, and shown so; no time, the usual run', async () => {
    const { fake } = h;
    h.engine.script = finishAtOnce;
    const over = fake.sendStylize({ user: fake.makeUser('bo'), content: { file: h.content }, style: { file: h.style }, paintingTime: 10, size: 64 });
    await waitForResult(fake, over);
    expect(h.engine.runs.at(-1)?.options).toEqual({ preset: 'balanced', size: 64, timeBudgetMs: 120_000 });
    expect(contentOf(replyEdits(fake, over)[0] ?? ({} as never))).toContain('Balanced · 64 px · 2 min');
    const plain = fake.sendStylize({ user: fake.makeUser('cy'), content: { file: h.content }, style: { file: h.style }, size: 64 });
    await waitForResult(fake, plain);
    expect(h.engine.runs.at(-1)?.options).toEqual({ preset: 'balanced', size: 64 });
    expect(contentOf(replyEdits(fake, plain)[0] ?? ({} as never))).not.toMatch(/64 px · \d+ min/);
  });
});
