// What users read, in one place (src/wording): the number formats, the catalogue and its fallback, the
// user-facing error, the one list of accepted formats, and that the catalogue's lists match the engine's
// and the queue's (it cannot import them: it is a leaf).
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isAcceptedMimeType } from '../src/adapters/shared/formats.js';
import type { Platform } from '../src/queue/index.js';
import { PRESETS, type ImageRole as EngineImageRole, type PresetName as EnginePresetName } from '../src/transfer/index.js';
import {
  ACCEPTED_FILE_TYPES,
  ACCEPTED_FORMATS,
  formatBytes,
  formatDuration,
  formatMegapixels,
  progressBar,
  say,
  tell,
  UserError,
  type ImageRole,
  type Locale,
  type PlatformName,
  type PresetName,
  type UserProblem,
} from '../src/wording/index.js';

describe('number formats', () => {
  it('writes sizes in MB and KB of 1024, the unit Discord and the STYLIZE_*_MB settings use', () => {
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatBytes(2.5 * 1024 * 1024)).toBe('2.5 MB');
    expect(formatBytes(20_000)).toBe('20 KB');
    expect(formatBytes(4096)).toBe('4 KB');
    expect(formatBytes(900)).toBe('900 bytes');
    // A progress line keeps its unit from the first byte to the last.
    expect(formatBytes(12_345, { unit: 'MB' })).toBe('0.0 MB');
    expect(formatBytes(80 * 1024 * 1024, { unit: 'MB' })).toBe('80.0 MB');
  });

  it('writes durations short, with tenths only under ten seconds', () => {
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(7000)).toBe('7 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatDuration(15 * 60_000)).toBe('15 min');
    expect(formatDuration(62 * 60_000)).toBe('1 h 02 min');
    expect(formatDuration(2 * 60 * 60_000)).toBe('2 h');
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(Number.NaN)).toBe('0 s');
  });

  it('writes pixel counts and the progress bar', () => {
    expect(formatMegapixels(50_000)).toBe('0.1 megapixels');
    expect(formatMegapixels(50_000_000)).toBe('50 megapixels');
    expect(progressBar(30, 100)).toBe('██████░░░░░░░░░░░░░░ 30%');
    expect(progressBar(5, 0)).toBe('░░░░░░░░░░░░░░░░░░░░ 0%');
  });
});

describe('the catalogue', () => {
  it('names each image one way: "photo" and "style image"', () => {
    expect(say('image-empty', { role: 'content' })).toBe('The photo is an empty file (0 bytes). Please upload the picture again.');
    expect(say('image-empty', { role: 'style' })).toMatch(/^The style image is/);
    expect(say('image-empty')).toMatch(/^The image is/);
    expect(say('image-not-accepted', { role: 'content', fileName: 'scan.tif' })).toBe(
      'The photo (scan.tif) is not a JPEG, PNG, WebP or GIF picture, the only formats I take. Please choose one of those.',
    );
  });

  it('words problems carried as data, in English when a language has no sentence', () => {
    const problem: UserProblem = { code: 'queue-full', params: { maxQueueLength: 20 } };
    expect(tell(problem)).toBe('The queue is full (20 jobs waiting). Please try again in a few minutes.');
    expect(tell(problem, 'en')).toBe(tell(problem));
    expect(say('user-limit', { maxPerUser: 1 })).toMatch(/^You already have 1 job waiting/);
    expect(say('user-limit', { maxPerUser: 3 })).toMatch(/^You already have 3 jobs waiting/);
    expect(say('queue-position', { position: 1 })).toBe('next in line');
    expect(['2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '111th'].map((text) => say('queue-position', { position: parseInt(text, 10) }))).toEqual(
      ['2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '111th'].map((text) => `${text} in line`),
    );
  });

  it('takes exactly the parameters each key needs', () => {
    expectTypeOf(say<'cancel-not-owner'>).parameters.toEqualTypeOf<['cancel-not-owner', (Record<string, never> | undefined)?, (Locale | undefined)?]>();
    expectTypeOf(say<'queue-full'>).parameters.toEqualTypeOf<['queue-full', { maxQueueLength: number }, (Locale | undefined)?]>();
  });

  it('has a label and a description for every preset of the engine, and for nothing else', () => {
    const engine = Object.keys(PRESETS) as EnginePresetName[];
    expect(engine).toEqual(['photo', 'balanced', 'painterly', 'painting']);
    for (const preset of engine) {
      expect(say('preset-label', { preset }).length).toBeGreaterThan(0);
      expect(say('preset-description', { preset }).length).toBeGreaterThan(0);
    }
    expect(engine.map((preset) => say('preset-label', { preset }))).toEqual(['Mostly photo', 'Balanced', 'Painterly', 'Mostly style']);
    // The lists the catalogue declares for itself are the engine's and the queue's, both ways.
    expectTypeOf<PresetName>().toEqualTypeOf<EnginePresetName>();
    expectTypeOf<ImageRole>().toEqualTypeOf<EngineImageRole>();
    expectTypeOf<PlatformName>().toEqualTypeOf<Platform>();
  });
});

describe('UserError', () => {
  it('carries a code and parameters, with the English sentence as its message', () => {
    const error = new UserError('image-too-large', { role: 'style', bytes: 50 * 1024 * 1024, maxBytes: 10 * 1024 * 1024, fileName: undefined });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('image-too-large');
    expect(error.message).toBe('The style image is 50 MB; the limit is 10 MB. Please choose a smaller picture.');
    // Left-out parameters are not carried: a problem compares equal after a trip through structured clone.
    expect(error.problem).toEqual({ code: 'image-too-large', params: { role: 'style', bytes: 52_428_800, maxBytes: 10_485_760 } });
    expect(Object.keys(error.problem.params)).not.toContain('fileName');
    expect(UserError.from(structuredClone(error.problem)).message).toBe(error.message);
    expect(new UserError('bot-restarting').params).toEqual({});
  });
});

describe('the accepted formats', () => {
  it('are one list that the messages, the declared types and the file inputs follow', () => {
    expect(ACCEPTED_FORMATS.map((format) => format.name)).toEqual(['JPEG', 'PNG', 'WebP', 'GIF']);
    expect(say('option-photo')).toBe('Your photo (JPEG, PNG, WebP or GIF).');
    expect(ACCEPTED_FILE_TYPES).toEqual(['jpg', 'jpeg', 'png', 'webp', 'gif']);
    for (const type of ['image/jpeg', 'image/jpg', 'IMAGE/PNG; charset=binary', 'image/webp', 'image/gif']) expect(isAcceptedMimeType(type), type).toBe(true);
    for (const type of ['image/tiff', 'image/avif', 'image/svg+xml', 'application/pdf', '', null, undefined]) expect(isAcceptedMimeType(type), String(type)).toBe(false);
  });
});
