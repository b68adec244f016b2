// Pure helpers of the results feature: the style of a request (upload or library painting, exactly one),
// the Slack form's reading of it, and the size check made before any download.
import { describe, expect, it } from 'vitest';
import { chooseStyle, libraryStyleOf } from '../src/adapters/shared/library-choice.js';
import { assertSizeFits } from '../src/adapters/shared/size-gate.js';
import { readSubmission } from '../src/adapters/slack/modal.js';
import { BLOCK } from '../src/adapters/slack/ids.js';
import { jobHeading, viewJob } from '../src/adapters/shared/job-view.js';
import { UserError } from '../src/wording/index.js';
import { modalValues } from './fake-slack/harness.js';

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
    expect(viewJob(job, { kind: 'queued', position: 1, resumed: false }, MARKUP).settings).toContain('Style: The Starry Night (Vincent van Gogh, 1889)');
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
    expect(none).toEqual({ ok: false, errors: { [BLOCK.style]: 'Please give a style: attach a style image or pick one from the style library.' } });
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
