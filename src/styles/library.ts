// The built-in style library: public-domain paintings shipped in assets/styles/ (attribution in its
// SOURCES.md), so that a user needs to upload only a photo and can pick the style by name.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface LibraryStyle {
  /** Stable identifier: chat option values, custom ids and the journal carry it. */
  id: string;
  /** What people see in pickers (Discord choices hold at most 100 characters). */
  name: string;
  /** The painting's attribution, shown with results made from it. */
  credit: string;
  /** One line on what the style does to a photo. */
  description: string;
  /** Absolute path of the painting. */
  path: string;
}

const STYLES_DIR = new URL('../../assets/styles/', import.meta.url);

function style(id: string, name: string, credit: string, description: string): LibraryStyle {
  return { id, name, credit, description, path: fileURLToPath(new URL(`${id}.jpg`, STYLES_DIR)) };
}

export const STYLE_LIBRARY: readonly LibraryStyle[] = [
  style('starry-night', 'The Starry Night', 'Vincent van Gogh, 1889', 'Swirling, thick brushstrokes in deep blue and glowing yellow.'),
  style('the-scream', 'The Scream', 'Edvard Munch, 1893', 'Wavy bands of fiery orange and dark blue.'),
  style('shipwreck', 'The Shipwreck of the Minotaur', 'J. M. W. Turner, c. 1810', 'A storm at sea: churning browns and white spray.'),
  style('woman-with-a-hat', 'Woman with a Hat', 'Henri Matisse, 1905', 'Loose patches of bold, unexpected colour.'),
  style('great-wave', 'The Great Wave off Kanagawa', 'Katsushika Hokusai, c. 1831', 'Crisp woodblock outlines, Prussian blue and foam.'),
  style('udnie', 'Udnie', 'Francis Picabia, 1913', 'Interlocking curved shapes in grey, blue and rose.'),
];

export function findLibraryStyle(id: string): LibraryStyle | undefined {
  return STYLE_LIBRARY.find((entry) => entry.id === id);
}

/** The painting's bytes, as a style image upload would give them. */
export function readLibraryStyle(entry: LibraryStyle): Promise<Buffer> {
  return readFile(entry.path);
}
