// The style of a /stylize request: a style image (uploaded, or on Discord a link) or a painting from the built-in library
// (src/styles/library.ts), exactly one of the two. Both given is refused rather than one quietly winning:
// the user meant one of them, and a picture in the wrong style costs them a whole wait in line.
import { findLibraryStyle, paintingWords, type LibraryStyle, type PaintingWords } from '../../styles/library.js';
import type { JobOptions } from '../../queue/index.js';
import { UserError, type Locale } from '../../wording/index.js';

export type StyleChoice<Upload> = { kind: 'upload'; upload: Upload } | { kind: 'library'; style: LibraryStyle };

/** Which style the request names; throws UserError when it names none, both, or a painting the library lacks. */
export function chooseStyle<Upload>(upload: Upload | undefined, libraryId: string | undefined): StyleChoice<Upload> {
  if (upload !== undefined && libraryId !== undefined) throw new UserError('style-both');
  if (upload !== undefined) return { kind: 'upload', upload };
  if (libraryId === undefined) throw new UserError('style-missing');
  const style = findLibraryStyle(libraryId);
  if (!style) throw new UserError('library-style-unknown', { id: libraryId });
  return { kind: 'library', style };
}

/**
 * The second style of a blend, if the request names one; throws UserError when it names both an image and a
 * painting, or a painting the library lacks.
 */
export function chooseSecondStyle<Upload>(upload: Upload | undefined, libraryId: string | undefined): StyleChoice<Upload> | undefined {
  if (upload !== undefined && libraryId !== undefined) throw new UserError('second-style-both');
  if (upload === undefined && libraryId === undefined) return undefined;
  return chooseStyle(upload, libraryId);
}

/** The library painting a job's options name, if any (a stored id the library no longer has: none). */
export function libraryStyleOf(options: Pick<JobOptions, 'libraryStyle'>): LibraryStyle | undefined {
  return options.libraryStyle === undefined ? undefined : findLibraryStyle(options.libraryStyle);
}

/** That painting's name, credit and description in the reader's language. */
export function libraryWordsOf(options: Pick<JobOptions, 'libraryStyle'>, locale: Locale | undefined): PaintingWords | undefined {
  const entry = libraryStyleOf(options);
  return entry ? paintingWords(entry, locale) : undefined;
}
