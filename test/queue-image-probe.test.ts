// The image probe: uploads are parsed in a warm process of their own. A crash or a hang there fails only the
// check in flight, with a ProbeFailedError (the queue tells the user the images could not be checked), and
// the next check runs on a fresh process. The faults come from a stand-in process
// (test/fixtures/faulty-probe-child.ts); the real one refuses a file that is not a picture, naming it.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ImageProbe, ProbeFailedError } from '../src/queue/image-probe.js';
import { UserError } from '../src/wording/index.js';
import { makeGradientPng } from './fixtures/images.js';

const FAULTY = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/faulty-probe-child.ts');
const order = (text: string): { content: Buffer; style: Buffer } => ({ content: Buffer.from(text), style: Buffer.from('-') });

const probes: ImageProbe[] = [];
function probe(options: ConstructorParameters<typeof ImageProbe>[0]): ImageProbe {
  const made = new ImageProbe(options);
  probes.push(made);
  return made;
}
afterEach(() => {
  for (const made of probes.splice(0)) made.stop();
});

describe('image probe', () => {
  it('a crash fails only the check in flight; the next check runs on a fresh process', async () => {
    const faulty = probe({ childModule: FAULTY });
    await expect(faulty.check(order('fine'))).resolves.toBeUndefined();
    await expect(faulty.check(order('crash'))).rejects.toThrow(new ProbeFailedError('image probe exited (3) without an answer'));
    await expect(faulty.check(order('fine'))).resolves.toBeUndefined();
  });

  it('a hang past the time limit is ended; the checks waiting behind it run on a fresh process', async () => {
    // The limit counts from the moment the process is ready: its start-up is not part of it.
    const faulty = probe({ childModule: FAULTY, timeoutMs: 300 });
    const checks = [faulty.check(order('hang')), faulty.check(order('fine')), faulty.check(order('fine'))];
    const [hung, ...after] = await Promise.allSettled(checks);
    expect(hung).toMatchObject({ status: 'rejected', reason: new ProbeFailedError('image probe took longer than 300 ms to answer') });
    expect(after.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled']);
  });

  it('the real process passes two pictures, refuses bytes that are no picture by name, and starts again after stop()', async () => {
    const real = probe({});
    const png = await makeGradientPng(32, 24, 1);
    await expect(real.check({ content: png, style: png })).resolves.toBeUndefined();
    const refused = await real.check({ content: png, style: Buffer.from('not a picture') }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).problem).toEqual({ code: 'image-not-an-image', params: { role: 'style' } });
    real.stop();
    await expect(real.check({ content: png, style: png })).resolves.toBeUndefined();
  });
});
