// The style library ships real paintings: each entry's file is there, decodes, is attributed in
// SOURCES.md, and fits the chat platforms' pickers.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findLibraryStyle, readLibraryStyle, STYLE_LIBRARY } from '../src/styles/library.js';

describe('the style library', () => {
  it('has a decodable, attributed painting for every entry', async () => {
    const sources = await readFile(fileURLToPath(new URL('../assets/styles/SOURCES.md', import.meta.url)), 'utf8');
    for (const entry of STYLE_LIBRARY) {
      const bytes = await readLibraryStyle(entry);
      const meta = await sharp(bytes).metadata();
      expect([entry.id, meta.format]).toEqual([entry.id, 'jpeg']);
      expect(Math.min(meta.width ?? 0, meta.height ?? 0)).toBeGreaterThanOrEqual(256);
      expect(sources).toContain(`| ${entry.id}.jpg |`);
    }
  });

  it('fits Discord choices and Slack options: unique ids, at most 25 entries, short names', () => {
    const ids = STYLE_LIBRARY.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeLessThanOrEqual(25);
    for (const entry of STYLE_LIBRARY) {
      expect(entry.id).toMatch(/^[a-z0-9-]{1,40}$/);
      // Slack option text holds 75 characters, Discord choice names 100.
      expect(`${entry.name} (${entry.credit})`.length).toBeLessThanOrEqual(75);
      expect(entry.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('finds entries by id and nothing else', () => {
    expect(findLibraryStyle('starry-night')?.name).toBe('The Starry Night');
    expect(findLibraryStyle('../package.json')).toBeUndefined();
  });
});
