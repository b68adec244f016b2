// The style library ships real paintings: each entry's file is there, decodes, is attributed in
// SOURCES.md, and fits the chat platforms' pickers.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findLibraryStyle, paintingWords, readLibraryStyle, STYLE_LIBRARY } from '../src/styles/library.js';
import { LOCALES, say } from '../src/wording/index.js';

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

  it('names, credits and describes every painting in every language the bot writes in, within the pickers\' limits', () => {
    for (const entry of STYLE_LIBRARY) {
      // The same languages as the catalogue: no more, no fewer.
      expect(Object.keys(entry.words).sort(), entry.id).toEqual([...LOCALES].sort());
      expect(paintingWords(entry, 'en')).toEqual({ name: entry.name, credit: entry.credit, description: entry.description });
      for (const locale of LOCALES) {
        const words = paintingWords(entry, locale);
        // Slack options hold 75 characters (text and description); Discord choice names 100.
        expect(`${words.name} (${words.credit})`.length, `${entry.id} ${locale}`).toBeLessThanOrEqual(75);
        expect(words.description.length, `${entry.id} ${locale}`).toBeLessThanOrEqual(75);
        expect(say('library-choice', words, locale).length, `${entry.id} ${locale}`).toBeLessThanOrEqual(100);
        // Each language describes the painting in its own words (the name may be the same: "Udnie").
        if (locale !== 'en') expect(words.description, `${entry.id} ${locale}`).not.toBe(entry.description);
      }
    }
    const starryNight = findLibraryStyle('starry-night');
    expect(LOCALES.map((locale) => starryNight && paintingWords(starryNight, locale).name)).toEqual(['The Starry Night', 'Die Sternennacht', 'La Nuit étoilée', 'La noche estrellada', '星月夜']);
    // A language the library lacks (say, one read back from a newer journal) reads English.
    expect(starryNight && paintingWords(starryNight, 'pt').name).toBe('The Starry Night');
  });

  it('finds entries by id and nothing else', () => {
    expect(findLibraryStyle('starry-night')?.name).toBe('The Starry Night');
    expect(findLibraryStyle('../package.json')).toBeUndefined();
  });
});
