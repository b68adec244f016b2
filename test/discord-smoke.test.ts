import { afterAll, beforeAll, expect, test } from 'vitest';
import { startHarness } from './fake-discord/harness.js';
import type { Harness } from './fake-discord/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('smoke', async () => {
  await h.startBot();
  const alice = h.fake.makeUser('alice');
  h.fake.sendStylize({ user: alice, content: { file: h.bigContent }, style: { file: h.style }, size: 1024 });
  const t0 = Date.now();
  await h.fake.waitFor(() => h.fake.threads().length > 0 && h.fake.messagesIn(String(h.fake.threads()[0]?.['id'])).some((m) => m.attachments.length > 0), 60_000, 'result');
  console.log("took", Date.now() - t0);
  for (const c of h.fake.calls) console.log(c.method, c.path, c.status, JSON.stringify(c.body)?.slice(0, 200), c.files.map((f) => f.name));
  console.log(h.fake.unknownRoutes);
  expect(true).toBe(true);
}, 90_000);
