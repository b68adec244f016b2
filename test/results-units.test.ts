// Pure helpers of the results feature: the style of a request (upload or library painting, exactly one),
// the Slack form's reading of it, and the size check made before any download.
import { describe, expect, it } from 'vitest';
import { chooseStyle, libraryStyleOf } from '../src/adapters/shared/library-choice.js';
import { assertSizeFits } from '../src/adapters/shared/size-gate.js';
import { readSubmission } from '../src/adapters/slack/modal.js';
import { BLOCK } from '../src/adapters/slack/ids.js';
import { jobHeading, viewJob, viewResult } from '../src/adapters/shared/job-view.js';
import { biggerOptions, biggerSize, coloursOptions, resultButtons, reuseOptions } from '../src/adapters/shared/result-actions.js';
import { buttonRows, parseButtonId } from '../src/adapters/discord/buttons.js';
import { isResultButton, resultButtonId } from '../src/adapters/discord/result-buttons.js';
import type { JobResult } from '../src/queue/index.js';
import { UserError } from '../src/wording/index.js';
import { modalValues } from './fake-slack/harness.js';

const RESULT: JobResult = {
  width: 512,
  height: 384,
  iterations: 150,
  seconds: 65,
  backend: 'onnx-cpu',
  layers: { content: ['conv4_2'], style: ['conv1_1'] },
  alpha: 1,
  beta: 1000,
  styleScale: 1,
  styleWeights: [1],
  colorMode: 'style',
  initial: { content: 1, style: 1, total: 2 },
  final: { content: 1, style: 1, total: 2 },
};

const MARKUP = { bold: (t: string) => `*${t}*`, code: (t: string) => `\`${t}\``, mention: (id: string) => `<@${id}>` };

function refusalOf(act: () => unknown): string | undefined {
  try {
    act();
  } catch (error) {
    if (error instanceof UserError) return error.code;
    throw error;
  }
  return undefined;
}

describe('the style of a request', () => {
  it('takes an upload or a library painting, exactly one', () => {
    expect(chooseStyle('upload', undefined)).toEqual({ kind: 'upload', upload: 'upload' });
    expect(chooseStyle(undefined, 'starry-night')).toMatchObject({ kind: 'library', style: { id: 'starry-night', name: 'The Starry Night' } });
    expect(refusalOf(() => chooseStyle('upload', 'starry-night'))).toBe('style-both');
    expect(refusalOf(() => chooseStyle(undefined, undefined))).toBe('style-missing');
    expect(refusalOf(() => chooseStyle(undefined, 'mona-lisa'))).toBe('library-style-unknown');
  });

  it('names the painting in the heading and credits it in the settings', () => {
    const job = { userId: 'U1', options: { preset: 'balanced' as const, size: 256, libraryStyle: 'starry-night' } };
    expect(jobHeading(job, MARKUP)).toBe('*Stylize* for <@U1> · Balanced · The Starry Night · 256 px');
    expect(viewJob(job, { kind: 'queued', position: 1, resumed: false }, MARKUP).settings).toContain('Painting: The Starry Night (Vincent van Gogh, 1889)');
    // The painting by its name in the owner's language, in the heading and the credit.
    expect(jobHeading({ ...job, locale: 'fr' }, MARKUP)).toBe('*Stylize* pour <@U1> · Équilibré · La Nuit étoilée · 256\u00A0px');
    expect(viewJob({ ...job, locale: 'ja' }, { kind: 'queued', position: 1, resumed: false }, MARKUP).settings).toContain('名画: 星月夜 (フィンセント・ファン・ゴッホ、1889年)');
    expect(libraryStyleOf({ libraryStyle: 'gone-from-the-library' })).toBeUndefined();
  });
});

describe('the Slack form', () => {
  const file = { id: 'F1', name: 'a.png', mimetype: 'image/png', filetype: 'png', size: 10, url_private: 'https://files.slack.com/a.png' };

  it('reads a library style instead of a style image', () => {
    const submission = readSubmission(modalValues({ content: file }, { libraryStyle: 'great-wave' }) as never, { channel: 'C1' }, 1024);
    expect(submission).toEqual({ ok: true, files: { content: { id: 'F1', name: 'a.png', mimetype: 'image/png', size: 10 } }, options: { preset: 'balanced', libraryStyle: 'great-wave' } });
  });

  it('shows on the style field that it needs exactly one style', () => {
    const none = readSubmission(modalValues({ content: file }) as never, { channel: 'C1' }, 1024);
    expect(none).toEqual({ ok: false, errors: { [BLOCK.style]: 'Please give a style: attach a style image or pick a painting.' } });
    const both = readSubmission(modalValues({ content: file, style: { ...file, id: 'F2' } }, { libraryStyle: 'udnie' }) as never, { channel: 'C1' }, 1024);
    expect(both).toMatchObject({ ok: false, errors: { [BLOCK.style]: expect.stringMatching(/only one style/) as unknown } });
  });
});

describe('the size check before download', () => {
  it('refuses with the largest size that fits, and passes what fits or is unknown', () => {
    const refused = { checkSize: () => ({ ok: false as const, code: 'size-too-slow' as const, size: 1024, estimatedMs: 1, limitMs: 900_000, largestSize: 544 }) };
    try {
      assertSizeFits(refused, { size: 1024 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe('A 1024 px picture would take longer than the 15 min limit here. Please choose 544 px or smaller.');
    }
    expect(() => assertSizeFits({ checkSize: () => ({ ok: true }) }, { size: 1024 })).not.toThrow();
  });
});

describe('a finished picture\'s buttons', () => {
  const fits = (limit: number) => ({
    checkSize: ({ size = 0 }: { size?: number }) =>
      size <= limit ? { ok: true as const } : { ok: false as const, code: 'size-too-slow' as const, size, estimatedMs: 1, limitMs: 1, ...(limit >= 32 ? { largestSize: limit } : {}) },
  });

  it('Bigger: the next rung whose Bigger job fits, up to 2048 px, else the largest size that fits if still bigger, else none', () => {
    expect(biggerSize({ width: 512, height: 384 }, {}, fits(1024))).toBe(768);
    expect(biggerSize({ width: 512, height: 384 }, {}, fits(544))).toBe(544);
    expect(biggerSize({ width: 512, height: 384 }, {}, fits(512))).toBeUndefined();
    expect(biggerSize({ width: 768, height: 1024 }, {}, fits(4096))).toBe(1448);
    expect(biggerSize({ width: 1448, height: 1086 }, {}, fits(4096))).toBe(2048);
    expect(biggerSize({ width: 1448, height: 1086 }, {}, fits(1800))).toBe(1800);
    expect(biggerSize({ width: 2048, height: 1536 }, {}, fits(4096))).toBeUndefined(); // the engine's largest
    // A large brush reads the style image at twice the size: 1448 px would need it at 2896.
    expect(biggerSize({ width: 1024, height: 768 }, { styleScale: 2 }, fits(4096))).toBeUndefined();
    expect(biggerSize({ width: 100, height: 60 }, {}, fits(4096))).toBe(128);
    // The estimate asked for is a Bigger job's: one that goes on from the picture's long side.
    const asked: unknown[] = [];
    biggerSize({ width: 1024, height: 768 }, {}, { checkSize: (options) => (asked.push(options), { ok: true }) });
    expect(asked).toEqual([{ size: 1448, startAbove: 1024 }]);
  });

  it('run with the options each button stands for', () => {
    const options = { preset: 'painterly' as const, size: 512, seed: 5, libraryStyle: 'udnie' };
    expect(biggerOptions(options, 768)).toEqual({ ...options, size: 768 });
    expect(biggerOptions(options, 2048)).toEqual({ ...options, size: 2048 });
    expect(biggerOptions(options, 4096)).toBeUndefined();
    expect(biggerOptions({ ...options, styleScale: 2 }, 2048)).toBeUndefined();
    expect(coloursOptions(options, true)).toEqual({ ...options, preserveColors: true });
    expect(coloursOptions({ ...options, preserveColors: true }, false)).toEqual(options);
    expect(reuseOptions(options, 'content')).toEqual(options); // same painting as the style
    expect(reuseOptions(options, 'style')).toEqual({ preset: 'painterly', size: 512, seed: 5 }); // the picture is the style
  });

  it('offers Bigger only when a size fits, and the colours the job did not use', () => {
    const actions = (keep: boolean, bigger?: number) => resultButtons({ preset: 'balanced', preserveColors: keep }, bigger).map((b) => b.label);
    expect(actions(false, 768)).toEqual(['Bigger (768 px)', "Keep my photo's colours", 'Brush: small', 'Brush: large', 'Use as photo', 'Use as style', 'ⓘ Details', 'Delete']);
    expect(actions(true)).toEqual(["Use the style's colours", 'Brush: small', 'Brush: large', 'Use as photo', 'Use as style', 'ⓘ Details', 'Delete']);
  });

  it('Discord: custom ids carry what they need and parse back; at most five buttons a row', () => {
    for (const choice of resultButtons({ preset: 'balanced' }, 768)) {
      if (!isResultButton(choice)) continue;
      const id = resultButtonId('job1', choice);
      expect(id.length).toBeLessThanOrEqual(100);
      expect(parseButtonId(id)).toMatchObject({ action: choice.action, jobId: 'job1' });
    }
    expect(parseButtonId('stylize:bigger:768:job1')).toEqual({ action: 'bigger', jobId: 'job1', size: 768 });
    expect(parseButtonId('stylize:colours:keep:job1')).toEqual({ action: 'colours', jobId: 'job1', keep: true });
    expect(parseButtonId('stylize:use:style:job1')).toEqual({ action: 'use-as', jobId: 'job1', role: 'style' });
    expect(parseButtonId('stylize:delete:job1')).toEqual({ action: 'delete', jobId: 'job1' });
    expect(parseButtonId('stylize:brush:large:job1')).toEqual({ action: 'brush', jobId: 'job1', brush: 'large' });
    expect(parseButtonId('stylize:bigger:huge:job1')).toBeUndefined();
    expect(parseButtonId('stylize:brush:huge:job1')).toBeUndefined();
    const view = viewResult({ userId: 'U1', options: { preset: 'balanced' } }, RESULT, MARKUP, { biggerSize: 768 });
    const rows = buttonRows('job1', view.buttons).map((row) => row.toJSON().components.length);
    // Run again (presets, bigger, colours), the brush sizes, then the others.
    expect(rows).toEqual([4, 2, 4]);
    expect(rows.every((count) => count <= 5)).toBe(true);
  });
});
