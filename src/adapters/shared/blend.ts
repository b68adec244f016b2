// Several styles in one picture and the size of its brushstrokes, the same on every platform: the blend
// shares and brush sizes the chat offers, the options they become, and how a job's styles are named in its
// result and Details.
import { MAX_STYLES, type ExtraStyle, type JobOptions, type JobResult } from '../../queue/index.js';
import { findLibraryStyle, paintingWords } from '../../styles/library.js';
import type { BrushSize, ColourMode, Locale, StyleMention } from '../../wording/index.js';

/**
 * The engine's style scale for each brush size: the style image's long side as a multiple of the picture's.
 * A larger style image spreads each brushstroke over more pixels, so the strokes come out larger. Halving and
 * doubling are steps a user sees at once; the engine's own default (1) is "normal".
 */
export const BRUSH_SCALES: Readonly<Record<BrushSize, number>> = { small: 0.5, normal: 1, large: 2 };
export const BRUSH_SIZES = Object.keys(BRUSH_SCALES) as BrushSize[];

/** The second style's share of a blend, in percent, as the chat offers it; 50 when none is chosen. */
export const BLEND_SHARES = [25, 50, 75] as const;
export type BlendShare = (typeof BLEND_SHARES)[number];
export const DEFAULT_BLEND_SHARE: BlendShare = 50;

export function isBrushSize(value: unknown): value is BrushSize {
  return typeof value === 'string' && (BRUSH_SIZES as string[]).includes(value);
}

export function isBlendShare(value: unknown): value is BlendShare {
  return (BLEND_SHARES as readonly unknown[]).includes(value);
}

/** The brush size a style scale is, when it is one the chat offers (absent scale: normal). */
export function brushOf(scale: number | undefined): BrushSize | undefined {
  return BRUSH_SIZES.find((brush) => BRUSH_SCALES[brush] === (scale ?? 1));
}

/** The options with this brush size; normal leaves the engine's default. */
export function withBrush(options: JobOptions, brush: BrushSize): JobOptions {
  const next: JobOptions = { ...options };
  if (brush === 'normal') delete next.styleScale;
  else next.styleScale = BRUSH_SCALES[brush];
  return next;
}

/** The brush-size buttons of a result: the sizes it was not painted with. */
export function otherBrushSizes(options: Pick<JobOptions, 'styleScale'>): BrushSize[] {
  const current = brushOf(options.styleScale);
  return BRUSH_SIZES.filter((brush) => brush !== current);
}

/**
 * The options of a two-style blend: the second style (a library painting, or an upload when `libraryStyle`
 * is absent) with `share` percent of the weight.
 */
export function withSecondStyle(options: JobOptions, second: ExtraStyle, share: BlendShare = DEFAULT_BLEND_SHARE): JobOptions {
  return { ...options, extraStyles: [second], styleWeights: [100 - share, share] };
}

/** Options without a blend: what a job started from a result with the picture as its one style image has. */
export function withoutBlend(options: JobOptions): JobOptions {
  const next: JobOptions = { ...options };
  delete next.libraryStyle;
  delete next.extraStyles;
  delete next.styleWeights;
  return next;
}

/** How many style images a job has. */
export function styleCount(options: Pick<JobOptions, 'extraStyles'>): number {
  return 1 + (options.extraStyles?.length ?? 0);
}

/** Each style image's share in percent, rounded, from the weights (equal without them); sums to about 100. */
export function styleShares(weights: readonly number[] | undefined, count: number): number[] {
  const used = weights && weights.length === count ? weights : new Array<number>(count).fill(1);
  const total = used.reduce((sum, weight) => sum + weight, 0);
  return used.map((weight) => (total > 0 ? Math.round((weight / total) * 100) : 0));
}

/**
 * Every style image of a job as its result names it: library paintings with their attribution in the
 * reader's language, uploads unnamed, each with its share when there are several. The engine's weights are used once it reported them.
 */
export function styleMentions(options: JobOptions, result?: JobResult, locale?: Locale): StyleMention[] {
  const sources: ExtraStyle[] = [options.libraryStyle === undefined ? {} : { libraryStyle: options.libraryStyle }, ...(options.extraStyles ?? [])].slice(0, MAX_STYLES);
  const shares = sources.length > 1 ? styleShares(reported(result).styleWeights ?? options.styleWeights, sources.length) : undefined;
  return sources.map((source, index) => {
    const entry = source.libraryStyle === undefined ? undefined : findLibraryStyle(source.libraryStyle);
    const painting = entry ? paintingWords(entry, locale) : undefined;
    const share = shares?.[index];
    return { ...(painting ? { name: painting.name, credit: painting.credit } : {}), ...(share !== undefined ? { share } : {}) };
  });
}

/** How the result's colours were made: what the engine reported, else what was asked for. */
export function colourModeOf(options: Pick<JobOptions, 'preserveColors'>, result?: JobResult): ColourMode {
  return reported(result).colorMode ?? (options.preserveColors === true ? 'luminance' : 'style');
}

/** The style scale the picture was painted with: what the engine reported, else what was asked for. */
export function styleScaleOf(options: Pick<JobOptions, 'styleScale'>, result?: JobResult): number {
  return reported(result).styleScale ?? options.styleScale ?? 1;
}

/** What the engine says of the styles it used; results kept from before it said so have none of it. */
interface ReportedStyles {
  styleScale?: number;
  styleWeights?: number[];
  colorMode?: ColourMode;
}

function reported(result: JobResult | undefined): ReportedStyles {
  return (result ?? {}) as ReportedStyles;
}
