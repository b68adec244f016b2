// The built-in style library: public-domain paintings shipped in assets/styles/ (attribution in its
// SOURCES.md), so that a user needs to upload only a photo and can pick the style by name. Each painting
// carries its name, attribution and description in every language the bot writes in: a German reader
// picks "Die Sternennacht", a Japanese one 「星月夜」.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The languages a painting is described in: the same list as src/wording's LOCALES (this leaf imports
 * nothing of the project; test/styles-library.test.ts checks that both lists match).
 */
export type LibraryLanguage = 'en' | 'de' | 'fr' | 'es' | 'ja';

/** What a reader sees of a painting, in one language. */
export interface PaintingWords {
  /** The painting's title as that language knows it (Slack options hold 75 characters). */
  name: string;
  /** Artist and year, with that language's "circa". */
  credit: string;
  /** One line on what the style does to a photo. */
  description: string;
}

export interface LibraryStyle {
  /** Stable identifier: chat option values, custom ids and the journal carry it. */
  id: string;
  /** The English words, the source (the command line, logs); readers get `words[their language]`. */
  name: string;
  credit: string;
  description: string;
  /** Name, credit and description per language. */
  words: Readonly<Record<LibraryLanguage, PaintingWords>>;
  /** Absolute path of the painting. */
  path: string;
}

const STYLES_DIR = new URL('../../assets/styles/', import.meta.url);

/** [name, credit, description] in each language. */
type Entry = Readonly<Record<LibraryLanguage, readonly [name: string, credit: string, description: string]>>;

function style(id: string, entry: Entry): LibraryStyle {
  const words = Object.fromEntries(
    Object.entries(entry).map(([language, [name, credit, description]]) => [language, { name, credit, description }]),
  ) as Record<LibraryLanguage, PaintingWords>;
  return { id, ...words.en, words, path: fileURLToPath(new URL(`${id}.jpg`, STYLES_DIR)) };
}

export const STYLE_LIBRARY: readonly LibraryStyle[] = [
  style('starry-night', {
    en: ['The Starry Night', 'Vincent van Gogh, 1889', 'Swirling, thick brushstrokes in deep blue and glowing yellow.'],
    de: ['Die Sternennacht', 'Vincent van Gogh, 1889', 'Wirbelnde, dicke Pinselstriche in tiefem Blau und leuchtendem Gelb.'],
    fr: ['La Nuit étoilée', 'Vincent van Gogh, 1889', 'Touches épaisses en tourbillons, bleu profond et jaune éclatant.'],
    es: ['La noche estrellada', 'Vincent van Gogh, 1889', 'Pinceladas gruesas en remolino, azul intenso y amarillo brillante.'],
    ja: ['星月夜', 'フィンセント・ファン・ゴッホ、1889年', '深い青と輝く黄色の、渦を巻く厚い筆致。'],
  }),
  style('the-scream', {
    en: ['The Scream', 'Edvard Munch, 1893', 'Wavy bands of fiery orange and dark blue.'],
    de: ['Der Schrei', 'Edvard Munch, 1893', 'Wellige Bänder in feurigem Orange und dunklem Blau.'],
    fr: ['Le Cri', 'Edvard Munch, 1893', 'Bandes ondulantes d’orange flamboyant et de bleu sombre.'],
    es: ['El grito', 'Edvard Munch, 1893', 'Franjas onduladas de naranja ardiente y azul oscuro.'],
    ja: ['叫び', 'エドヴァルド・ムンク、1893年', '燃えるようなオレンジと濃い青の、うねる帯。'],
  }),
  style('shipwreck', {
    en: ['The Shipwreck of the Minotaur', 'J. M. W. Turner, c. 1810', 'A storm at sea, with churning browns and white spray.'],
    de: ['Der Schiffbruch der Minotaurus', 'J. M. W. Turner, um 1810', 'Sturm auf See, aufgewühlte Brauntöne und weiße Gischt.'],
    fr: ['Le Naufrage du Minotaure', 'J. M. W. Turner, vers 1810', 'Une tempête en mer, bruns tourmentés et embruns blancs.'],
    es: ['El naufragio del Minotauro', 'J. M. W. Turner, h. 1810', 'Tormenta en el mar, marrones agitados y espuma blanca.'],
    ja: ['ミノタウロス号の難破', 'J・M・W・ターナー、1810年頃', '荒れ狂う茶色と白いしぶきの、海の嵐。'],
  }),
  style('woman-with-a-hat', {
    en: ['Woman with a Hat', 'Henri Matisse, 1905', 'Loose patches of bold, unexpected colour.'],
    de: ['Frau mit Hut', 'Henri Matisse, 1905', 'Lockere Flecken kräftiger, unerwarteter Farben.'],
    fr: ['La Femme au chapeau', 'Henri Matisse, 1905', 'Touches libres de couleurs vives et inattendues.'],
    es: ['Mujer con sombrero', 'Henri Matisse, 1905', 'Manchas sueltas de colores intensos e inesperados.'],
    ja: ['帽子の女', 'アンリ・マティス、1905年', '大胆で意外な色を、自由に置いた色面。'],
  }),
  style('great-wave', {
    en: ['The Great Wave off Kanagawa', 'Katsushika Hokusai, c. 1831', 'Crisp woodblock outlines, Prussian blue and foam.'],
    de: ['Die große Welle vor Kanagawa', 'Katsushika Hokusai, um 1831', 'Klare Holzschnitt-Konturen, Preußischblau und Gischt.'],
    fr: ['La Grande Vague de Kanagawa', 'Katsushika Hokusai, vers 1831', 'Contours nets de gravure sur bois, bleu de Prusse et écume.'],
    es: ['La gran ola de Kanagawa', 'Katsushika Hokusai, h. 1831', 'Contornos nítidos de xilografía, azul de Prusia y espuma.'],
    ja: ['神奈川沖浪裏', '葛飾北斎、1831年頃', 'くっきりした木版の輪郭、ベロ藍と波しぶき。'],
  }),
  style('udnie', {
    en: ['Udnie', 'Francis Picabia, 1913', 'Interlocking curved shapes in grey, blue and rose.'],
    de: ['Udnie', 'Francis Picabia, 1913', 'Ineinandergreifende, geschwungene Formen in Grau, Blau und Rosa.'],
    fr: ['Udnie', 'Francis Picabia, 1913', 'Formes courbes imbriquées, en gris, bleu et rose.'],
    es: ['Udnie', 'Francis Picabia, 1913', 'Formas curvas entrelazadas en gris, azul y rosa.'],
    ja: ['ウドニー', 'フランシス・ピカビア、1913年', '灰色、青、ばら色の、かみ合う曲線。'],
  }),
];

export function findLibraryStyle(id: string): LibraryStyle | undefined {
  return STYLE_LIBRARY.find((entry) => entry.id === id);
}

/** The painting's words in the reader's language (English for a language the library lacks). */
export function paintingWords(entry: LibraryStyle, language: string | undefined): PaintingWords {
  return entry.words[(language ?? 'en') as LibraryLanguage] ?? entry.words.en;
}

/** The painting's bytes, as a style image upload would give them. */
export function readLibraryStyle(entry: LibraryStyle): Promise<Buffer> {
  return readFile(entry.path);
}
