// The Slack adapter's pure parts: the manifest matches the code, job messages, reading the modal, and the
// shared edit throttle.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CoalescingThrottle } from '../src/adapters/shared/throttle.js';
import { EVENTS_PATH } from '../src/adapters/slack/bolt-app.js';
import { EditBudget } from '../src/adapters/slack/edit-budget.js';
import { ACTION, BLOCK, COMMAND, SHORTCUT_CALLBACK } from '../src/adapters/slack/ids.js';
import { renderJobMessage, statusLine } from '../src/adapters/slack/messages.js';
import { parseMetadata, readSubmission, stylizeModal } from '../src/adapters/slack/modal.js';
import { messageImages } from '../src/adapters/slack/open-modal.js';
import { modalValues } from './fake-slack/harness.js';
import { ManualClock } from './fixtures/manual-clock.js';

const manifestPath = fileURLToPath(new URL('../src/adapters/slack/manifest.yaml', import.meta.url));

describe('Slack app manifest', () => {
  it('declares the command, the shortcut and interactivity the adapter answers, on its events path', async () => {
    const manifest = await readFile(manifestPath, 'utf8');
    expect(manifest).toContain(`- command: ${COMMAND}\n`);
    expect(manifest).toContain(`callback_id: ${SHORTCUT_CALLBACK}\n`);
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
    expect(manifest).toContain('socket_mode_enabled: false');
    for (const url of manifest.match(/(?:url|request_url): (\S+)/g) ?? []) expect(url.endsWith(EVENTS_PATH)).toBe(true);
  });

  it('asks for exactly the bot scopes the adapter uses', async () => {
    const manifest = await readFile(manifestPath, 'utf8');
    const bot = manifest.slice(manifest.indexOf('    bot:'), manifest.indexOf('settings:'));
    const scopes = [...bot.matchAll(/^\s+- (\S+)$/gm)].map((m) => m[1]);
    expect(scopes).toEqual(['commands', 'chat:write', 'files:read', 'files:write', 'channels:read', 'groups:read', 'channels:history', 'groups:history', 'im:history', 'users:read']);
  });
});

describe('job message', () => {
  const options = { preset: 'balanced' as const, size: 64 };

  it('says where the job stands', () => {
    expect(statusLine({ kind: 'queued', position: 3, resumed: false })).toContain('Queued: 3rd in line.');
    expect(statusLine({ kind: 'queued', position: 1, resumed: true })).toContain('Back in the queue after a restart: next in line.');
    expect(statusLine({ kind: 'queued', position: 3, resumed: false, startsInMs: 240_000 })).toContain('Queued: 3rd in line, starts in about 4 min.');
    expect(statusLine({ kind: 'queued', position: 1, resumed: false, startsInMs: 0 })).toContain('Queued: next in line, starts now.');
    // Plain words: the bar and the time left; the iteration count is behind Details.
    expect(statusLine({ kind: 'running', iteration: 50, total: 100, fraction: 0.5, etaMs: 65_000 })).toBe(':art: Painting `██████████░░░░░░░░░░ 50%` · about 1 min 05 s left');
    // The bar follows the share of time done: half the iterations on the cheap coarse scales is a tenth of the time.
    expect(statusLine({ kind: 'running', iteration: 75, total: 150, fraction: 0.1, etaMs: 90_000 })).toContain('`██░░░░░░░░░░░░░░░░░░ 10%` · about 1 min 30 s left');
    expect(statusLine({ kind: 'running', iteration: 1, total: 100, fraction: 0.01, etaMs: 999_000 })).not.toContain('left');
    expect(statusLine({ kind: 'cancelled', byUserId: 'U1' })).toContain('Cancelled by <@U1>.');
  });

  it('offers cancel while the job waits or runs, and the two reruns when done', () => {
    const queued = renderJobMessage({ jobId: 'j1', userId: 'U1', options, stage: { kind: 'queued', position: 1, resumed: false } });
    expect(JSON.stringify(queued.blocks)).toContain(ACTION.cancel);
    const result = { width: 64, height: 48, iterations: 10, seconds: 2, backend: 'wasm' as const, layers: { content: ['block4_conv2'], style: ['block1_conv1'] }, alpha: 1, beta: 1000, styleScale: 1, styleWeights: [1], colorMode: 'style' as const, initial: { content: 1, style: 1, total: 1 }, final: { content: 1, style: 1, total: 1 } };
    const done = JSON.stringify(renderJobMessage({ jobId: 'j1', userId: 'U1', options, stage: { kind: 'done', result } }).blocks);
    expect(done).toContain(ACTION.moreStyle);
    expect(done).toContain(ACTION.moreContent);
    expect(done).not.toContain(ACTION.cancel);
    expect(done).toContain('Size: 64×48 px');
    // The context line says what was asked in plain words; the technical figures wait behind Details.
    expect(done).toContain('Style ratio: Balanced · Size: 64×48 px · Keep colours: no');
    expect(done).not.toMatch(/α|Steps|layers|block\d_conv|wasm/);
    // At the end of the scale there is no further step that way.
    const last = JSON.stringify(renderJobMessage({ jobId: 'j1', userId: 'U1', options: { preset: 'painting' }, stage: { kind: 'done', result } }).blocks);
    expect(last).not.toContain(ACTION.moreStyle);
    expect(last).toContain(ACTION.moreContent);
    // Before the job exists there is nothing to click.
    expect(JSON.stringify(renderJobMessage({ userId: 'U1', options, stage: { kind: 'preparing' } }).blocks)).not.toContain('"actions"');
  });
});

describe('modal', () => {
  it('reads a submission into job options', () => {
    const file = { id: 'F1', name: 'a.png', mimetype: 'image/png', filetype: 'png', size: 10, url_private: 'https://files.slack.com/a.png' };
    const values = modalValues({ content: file, style: { ...file, id: 'F2' } }, { preset: 'painterly', size: 256, seed: 42, keepColours: true });
    const submission = readSubmission(values as never, { channel: 'C1' }, 1024);
    expect(submission).toEqual({
      ok: true,
      files: { content: { id: 'F1', name: 'a.png', mimetype: 'image/png', size: 10 }, style: { id: 'F2', name: 'a.png', mimetype: 'image/png', size: 10 } },
      options: { preset: 'painterly', size: 256, seed: 42, preserveColors: true },
    });
  });

  it('offers and reads the painting times within the job time limit; a longer one is capped, none fits none (issue 21)', () => {
    const file = { id: 'F1', name: 'a.png', mimetype: 'image/png', filetype: 'png', size: 10, url_private: 'https://files.slack.com/a.png' };
    const picked = (minutes: string, limitMs: number) => {
      const submission = readSubmission(modalValues({ content: file, style: { ...file, id: 'F2' } }, { paintingTime: minutes }) as never, { channel: 'C1' }, 1024, limitMs);
      return submission.ok ? submission.options.runMinutes : 'refused';
    };
    expect(picked('5', 15 * 60_000)).toBe(5);
    expect(picked('10', 5 * 60_000)).toBe(2);
    expect(picked('5', 60_000)).toBeUndefined();
    expect(picked('soon', 15 * 60_000)).toBeUndefined();
    const fieldOf = (limitMs: number) => stylizeModal({ channel: 'C1' }, undefined, 'balanced', limitMs).blocks.find((block) => block.block_id === BLOCK.paintingTime);
    expect(fieldOf(15 * 60_000)).toBeDefined();
    expect(fieldOf(60_000)).toBeUndefined();
  });

  it('refuses metadata it did not write', () => {
    expect(parseMetadata('not json')).toBeUndefined();
    expect(parseMetadata(JSON.stringify({ channel: 'C1', messageFiles: { content: 1 } }))).toBeUndefined();
    expect(parseMetadata(JSON.stringify({ channel: 'C1' }))).toEqual({ channel: 'C1' });
  });

  it("takes a message's images in order and skips its other files", () => {
    const files = [
      { id: 'F1', mimetype: 'application/pdf', name: 'a.pdf' },
      { id: 'F2', mimetype: 'image/jpeg', name: 'photo.jpg', size: 5 },
      { id: 'F3', file_access: 'check_file_info' },
      { id: 'F4', mimetype: 'image/png' },
    ];
    expect(messageImages(files).map((f) => f.id)).toEqual(['F2', 'F3', 'F4']);
    expect(messageImages(undefined)).toEqual([]);
  });

  it('names its fields as the blocks the errors point at', () => {
    expect(Object.values(BLOCK)).toEqual(['content', 'style', 'library_style', 'preset', 'size', 'seed', 'colours', 'style2', 'library_style2', 'blend', 'brush_size', 'painting_time']);
  });
});

describe('CoalescingThrottle', () => {
  /** A task that records when (on the test clock) it started and ended, and ends when the test says. */
  function recorder(clock: ManualClock) {
    const ran: Array<{ label: string; start: number; end?: number }> = [];
    const finishers: Array<() => void> = [];
    const task = (label: string) => () => {
      const entry: { label: string; start: number; end?: number } = { label, start: clock.now() };
      ran.push(entry);
      return new Promise<void>((resolve) =>
        finishers.push(() => {
          entry.end = clock.now();
          resolve();
        }),
      );
    };
    /** Ends the task that runs now (as a chat API call that answers). */
    const finishRunning = async () => {
      finishers.shift()?.();
      await clock.advance(0);
    };
    return { ran, task, finishRunning };
  }

  it('runs the latest waiting task, one at a time, at least the gap after the previous one ended', async () => {
    const clock = new ManualClock();
    const { ran, task, finishRunning } = recorder(clock);
    const throttle = new CoalescingThrottle(
      100,
      (error) => {
        throw error;
      },
      clock,
    );
    throttle.push('m', task('first'));
    await clock.advance(0);
    expect(ran.map((r) => r.label)).toEqual(['first']);
    // While the first runs, newer progress replaces older: only the latest is kept.
    for (let i = 1; i <= 5; i++) throttle.push('m', task(`progress ${i}`));
    await clock.advance(20);
    throttle.push('m', task('progress 6'));
    await finishRunning(); // the first ends at +20
    // The gap counts from the end of the first: nothing runs until +120.
    await clock.advance(99);
    expect(ran.map((r) => r.label)).toEqual(['first']);
    await clock.advance(1);
    expect(ran.map((r) => r.label)).toEqual(['first', 'progress 6']);
    await clock.advance(20);
    await finishRunning();
    await clock.advance(200);
    throttle.push('m', task('state change'), { urgent: true });
    const drained = throttle.drain('m');
    await clock.advance(0);
    await finishRunning();
    await drained;
    expect(ran.map((r) => r.label)).toEqual(['first', 'progress 6', 'state change']);
    expect(ran[1]!.start - ran[0]!.end!).toBe(100);
    throttle.forget('m');
    expect(clock.pending).toBe(0);
  });

  it('lets an urgent task skip the wait, but not overtake the running one', async () => {
    const clock = new ManualClock();
    const { ran, task, finishRunning } = recorder(clock);
    const throttle = new CoalescingThrottle(10_000, () => undefined, clock);
    throttle.push('m', task('running'));
    await clock.advance(5);
    throttle.push('m', task('progress'));
    throttle.push('m', task('done'), { urgent: true });
    // The urgent task waits for the running one...
    await clock.advance(30);
    expect(ran.map((r) => r.label)).toEqual(['running']);
    await finishRunning();
    // ...and then runs at once, not 10 s later.
    expect(ran.map((r) => r.label)).toEqual(['running', 'done']);
    expect(ran[1]!.start).toBe(ran[0]!.end);
    await finishRunning();
    await throttle.drain('m');
    expect(ran.map((r) => r.label)).toEqual(['running', 'done']);
    throttle.close();
  });
});

describe('the workspace edit budget', () => {
  it('gives way with position updates first, then progress; state changes always go', async () => {
    const clock = new ManualClock();
    const budget = new EditBudget(10, clock);
    // Position updates go while the budget is at least half full (10 down to 5).
    const positions = Array.from({ length: 10 }, () => budget.take('position')).filter(Boolean).length;
    expect(positions).toBe(6);
    const progress = Array.from({ length: 10 }, () => budget.take('progress')).filter(Boolean).length;
    expect(progress).toBe(4);
    // A state change goes even with the budget spent, and the others wait out the debt.
    expect(budget.take('state')).toBe(true);
    expect(budget.take('progress')).toBe(false);
    // Ten a minute: six seconds buy one edit back.
    await clock.advance(6_000);
    expect(budget.take('progress')).toBe(false); // still paying off the state change
    await clock.advance(6_000);
    expect(budget.take('progress')).toBe(true);
    expect(budget.take('position')).toBe(false);
    await clock.advance(60_000);
    expect(budget.take('position')).toBe(true);
  });
});
