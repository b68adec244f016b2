// What a job's messages show, the same on every platform. The queue's events move a job from stage to
// stage (applyEvent); viewJob turns a stage into a platform-neutral description: the heading, a status
// sentence and its tone, the buttons, the settings used; viewResult does the same for the finished picture.
// discord/ and slack/ only render these into their own message formats (content and components, blocks)
// with their own markup and emoji: neither decides on its own what a job says or which buttons it offers.
import type { JobEvent, JobOptions, JobResult } from '../../queue/index.js';
import { presetRatio, type PresetName } from '../../transfer/index.js';
import { progressBar, say, tell, type BrushSize, type DeliveryHitch, type Locale, type UserProblem } from '../../wording/index.js';
import { brushOf, colourModeOf, styleMentions, styleScaleOf } from './blend.js';
import { libraryWordsOf } from './library-choice.js';
import { nextPreset, type RerunDirection } from './presets.js';
import { resultButtons } from './result-actions.js';
import { pickedMinutes } from './run-time.js';

/** Where a job stands, as its messages show it. */
export type JobStage =
  /** The images are being fetched and checked; there is no job yet (Slack posts its message this early). */
  | { kind: 'preparing' }
  /** `startsInMs`: the queue's estimate of when it starts, from when the event came (absent: unknown). */
  | { kind: 'queued'; position: number; resumed: boolean; startsInMs?: number }
  | { kind: 'starting' }
  /** `fraction`: the share of the job's time done, what the bar shows. */
  | { kind: 'running'; iteration: number; total: number; fraction: number; etaMs: number }
  /** The picture is made; posting it failed for now and is tried again (see src/queue/delivery.ts). */
  | { kind: 'delivering'; retryInMs: number; problem: DeliveryHitch }
  | { kind: 'done'; result: JobResult }
  | { kind: 'failed'; reason: UserProblem }
  | { kind: 'cancelled'; byUserId: string };

/**
 * How soon the edit for a change must go: a change of state at once; progress and a new place in line may
 * wait for the platform's edit interval (the newest replaces the older) and give way first under a rate limit.
 */
export type EditUrgency = 'state' | 'progress' | 'position';

export interface StageChange {
  stage: JobStage;
  urgency: EditUrgency;
  /** A new preview of the picture so far, when the event brought one. */
  preview?: Buffer;
}

/** The stage a job is in after `event`; `previous` keeps what an event leaves out (a new place in line stays "resumed"). */
export function applyEvent(previous: JobStage | undefined, event: JobEvent): StageChange {
  switch (event.type) {
    case 'queued':
      return { stage: queuedStage(event.position, event.resumed, event.startsInMs), urgency: 'state' };
    case 'position':
      return { stage: queuedStage(event.position, previous?.kind === 'queued' && previous.resumed, event.startsInMs), urgency: 'position' };
    case 'started':
      return { stage: { kind: 'starting' }, urgency: 'state' };
    case 'progress': {
      const { iteration, total, fraction, etaMs } = event;
      const change: StageChange = { stage: { kind: 'running', iteration, total, fraction, etaMs }, urgency: 'progress' };
      if (event.preview) change.preview = event.preview;
      return change;
    }
    case 'delivering':
      return { stage: { kind: 'delivering', retryInMs: event.retryInMs, problem: event.problem }, urgency: 'state' };
    case 'done':
      return { stage: { kind: 'done', result: event.result }, urgency: 'state' };
    case 'failed':
      return { stage: { kind: 'failed', reason: event.reason }, urgency: 'state' };
    case 'cancelled':
      return { stage: { kind: 'cancelled', byUserId: event.byUserId }, urgency: 'state' };
  }
}

function queuedStage(position: number, resumed: boolean, startsInMs: number | undefined): JobStage {
  return startsInMs === undefined ? { kind: 'queued', position, resumed } : { kind: 'queued', position, resumed, startsInMs };
}

/** The job's last stage: its messages change no more. */
export function isFinal(stage: JobStage): boolean {
  return stage.kind === 'done' || stage.kind === 'failed' || stage.kind === 'cancelled';
}

/** The platform's markup for the few marked-up parts of a message. */
export interface Markup {
  bold(text: string): string;
  code(text: string): string;
  mention(userId: string): string;
}

/** What kind of news a status is; each platform shows it with its own emoji. */
export type StatusTone = JobStage['kind'] | 'moved';

export interface StatusView {
  tone: StatusTone;
  text: string;
}

export type JobButton =
  | { action: 'cancel'; label: string }
  /** Run the same images again with the neighbouring preset. */
  | { action: 'rerun'; direction: RerunDirection; preset: PresetName; label: string }
  // The finished picture's other buttons (see result-actions.ts).
  | { action: 'bigger'; size: number; label: string }
  | { action: 'colours'; keep: boolean; label: string }
  | { action: 'use-as'; role: 'content' | 'style'; label: string }
  | { action: 'details'; label: string }
  | { action: 'delete'; label: string }
  /** Run the same images again with another brush size (see blend.ts). */
  | { action: 'brush'; brush: BrushSize; label: string };

/** Whose job it is, what was asked, and the language its messages are written in (English when absent). */
export interface JobSubject {
  userId: string;
  options: JobOptions;
  locale?: Locale;
}

export interface JobView {
  /** "Stylize for @alice · Balanced · 512 px". */
  heading: string;
  status: StatusView;
  final: boolean;
  /** Cancel while the job waits or runs; the run-again buttons once it is done. */
  buttons: JobButton[];
  /** What was asked, in plain words, one line each (Slack's context line); the technical figures are behind Details. */
  settings: string[];
}

export interface ViewOptions {
  /** The message is in the job's thread, where the picture is posted ("Done." rather than "...in the thread"). */
  inThread?: boolean;
  /** The reader's language; English when absent. */
  locale?: Locale;
  /** The size "Bigger" offers on a done job (see result-actions.ts biggerSize); none: no Bigger button. */
  biggerSize?: number;
}

/** Where the job stands, in one sentence. */
export function statusOf(stage: JobStage, markup: Markup, options: ViewOptions = {}): StatusView {
  const { locale } = options;
  switch (stage.kind) {
    case 'preparing':
      return { tone: stage.kind, text: say('status-preparing', {}, locale) };
    case 'queued':
      return { tone: stage.kind, text: say('status-queued', { position: stage.position, resumed: stage.resumed, ...(stage.startsInMs !== undefined ? { startsInMs: stage.startsInMs } : {}) }, locale) };
    case 'starting':
      return { tone: stage.kind, text: say('status-starting', {}, locale) };
    case 'running': {
      // By time, not by iteration: the coarse scales' iterations are cheap, so iteration / total runs ahead.
      // Plain words only: the bar and the time left; the iteration count is behind Details (describeSettings).
      const bar = markup.code(progressBar(stage.fraction, 1));
      // The first iteration carries the engine's warm-up, so its estimate is far too long: wait for the second.
      const etaMs = stage.iteration > 1 ? stage.etaMs : undefined;
      return { tone: stage.kind, text: say('status-running', { bar, ...(etaMs !== undefined ? { etaMs } : {}) }, locale) };
    }
    case 'delivering':
      return { tone: stage.kind, text: say('status-delivering', { problem: tell(stage.problem, locale), retryInMs: stage.retryInMs }, locale) };
    case 'done':
      return { tone: stage.kind, text: say('status-done', { seconds: stage.result.seconds, inThread: options.inThread === true }, locale) };
    case 'failed':
      return { tone: stage.kind, text: tell(stage.reason, locale) };
    case 'cancelled':
      return { tone: stage.kind, text: say('status-cancelled', { by: markup.mention(stage.byUserId) }, locale) };
  }
}

/** The status shown where progress used to be, once it carries on in the job's thread (Discord). */
export function movedToThread(locale?: Locale): StatusView {
  return { tone: 'moved', text: say('status-moved-to-thread', {}, locale) };
}

/** The paintings a job is made in, by name ("The Starry Night + The Scream"); none when all were uploaded. */
function paintingNames(options: JobOptions, locale: Locale | undefined): string | undefined {
  const names = styleMentions(options, undefined, locale).flatMap((style) => (style.name === undefined ? [] : [style.name]));
  return names.length > 0 ? names.join(' + ') : undefined;
}

export function jobHeading(job: JobSubject, markup: Markup): string {
  const { preset, size } = job.options;
  const { locale } = job;
  const style = paintingNames(job.options, locale);
  const minutes = pickedMinutes(job.options);
  return say(
    'job-heading',
    { app: markup.bold(say('app-name', {}, locale)), owner: markup.mention(job.userId), preset, ...(size !== undefined ? { size } : {}), ...(style !== undefined ? { style } : {}), ...(minutes !== undefined ? { minutes } : {}) },
    locale,
  );
}

/** The job's message, in the owner's language (`job.locale`). */
export function viewJob(job: JobSubject, stage: JobStage, markup: Markup, options: Omit<ViewOptions, 'locale'> = {}): JobView {
  const { locale } = job;
  const waiting = stage.kind === 'queued' || stage.kind === 'starting' || stage.kind === 'running';
  const buttons: JobButton[] = waiting
    ? [{ action: 'cancel', label: say('button-cancel', {}, locale) }]
    : stage.kind === 'done'
      ? [...rerunChoices(job.options, locale), ...resultButtons(job.options, options.biggerSize, locale)]
      : [];
  return {
    heading: jobHeading(job, markup),
    status: statusOf(stage, markup, { ...options, ...(locale !== undefined ? { locale } : {}) }),
    final: isFinal(stage),
    buttons,
    settings: summarizeSettings(job.options, stage.kind === 'done' ? stage.result : undefined, locale),
  };
}

export interface ResultView {
  /** "@alice, your picture is ready: Balanced · The Starry Night · 512×384 px · 1 min 05 s." */
  greeting: string;
  /** The settings used, one line each: behind the Details button. */
  settings: string[];
  /** A title for the file, and a description of the picture for screen readers. */
  title: string;
  alt: string;
  buttons: JobButton[];
  /** The owner is told once, with the picture. */
  pingUserId: string;
}

/** The picture's message, in the owner's language (`job.locale`). */
export function viewResult(job: JobSubject, result: JobResult, markup: Markup, options: Pick<ViewOptions, 'biggerSize'> = {}): ResultView {
  const { locale } = job;
  const style = paintingNames(job.options, locale);
  const { width, height, seconds } = result;
  const summary = say('result-summary', { owner: markup.mention(job.userId), preset: job.options.preset, width, height, seconds, ...(style !== undefined ? { style } : {}) }, locale);
  // Every painting with its attribution (a blend: every style with its share); one uploaded style image has nothing to credit.
  const styles = styleMentions(job.options, result, locale);
  const [only] = styles;
  const credits =
    styles.length > 1
      ? say('result-styles', { styles }, locale)
      : only?.name !== undefined
        ? say('settings-library-style', { name: only.name, credit: only.credit ?? '' }, locale)
        : undefined;
  return {
    greeting: credits === undefined ? summary : `${summary}\n${credits}`,
    settings: describeSettings(job.options, result, locale),
    title: say('result-title', { preset: job.options.preset }, locale),
    alt: say('result-alt', { width: result.width, height: result.height }, locale),
    buttons: [...rerunChoices(job.options, locale), ...resultButtons(job.options, options.biggerSize, locale)],
    pingUserId: job.userId,
  };
}

/** "More content" and "More style": the neighbouring presets; a button is left out at either end. */
export function rerunChoices(options: Pick<JobOptions, 'preset'>, locale?: Locale): JobButton[] {
  const buttons: JobButton[] = [];
  const moreContent = nextPreset(options.preset, 'more-content');
  const moreStyle = nextPreset(options.preset, 'more-style');
  if (moreContent) buttons.push({ action: 'rerun', direction: 'more-content', preset: moreContent, label: say('button-more-content', { preset: moreContent }, locale) });
  if (moreStyle) buttons.push({ action: 'rerun', direction: 'more-style', preset: moreStyle, label: say('button-more-style', { preset: moreStyle }, locale) });
  return buttons;
}

/**
 * What was asked, in plain words, one line per setting (no platform markup): the style ratio by its name,
 * the paintings, the brush size when it is not the normal one, the size, the painting time picked, the seed and the colours, e.g.
 * "Style ratio: Balanced". What the job message shows.
 */
export function summarizeSettings(options: JobOptions, result?: JobResult, locale?: Locale): string[] {
  return [say('settings-preset', { preset: options.preset }, locale), ...settingLines(options, result, locale, false)];
}

/**
 * Every setting, the technical figures included (the style weight α/β, the brush size as a scale, how the
 * colours were made, the iterations and the device, the network's layers): what the Details button shows,
 * and only it.
 */
export function describeSettings(options: JobOptions, result?: JobResult, locale?: Locale): string[] {
  const ratio = result ? result.alpha / result.beta : presetRatio(options.preset);
  const lines = [say('settings-style-ratio', { preset: options.preset, ratio }, locale), ...settingLines(options, result, locale, true)];
  if (result) {
    lines.push(say('settings-iterations', { iterations: result.iterations, seconds: result.seconds, backend: result.backend }, locale));
    lines.push(say('settings-layers', { content: result.layers.content, style: result.layers.style }, locale));
  }
  return lines;
}

/** The lines after the style ratio, in the job message (`details` false) or in Details. */
function settingLines(options: JobOptions, result: JobResult | undefined, locale: Locale | undefined, details: boolean): string[] {
  const lines: string[] = [];
  const styles = styleMentions(options, result, locale);
  const painting = libraryWordsOf(options, locale);
  if (styles.length > 1) lines.push(say('settings-styles', { styles }, locale));
  else if (painting) lines.push(say('settings-library-style', { name: painting.name, credit: painting.credit }, locale));
  const scale = styleScaleOf(options, result);
  const brush = brushOf(scale);
  if (details || brush !== 'normal') lines.push(say('settings-brush-size', { scale, ...(brush !== undefined ? { brush } : {}) }, locale));
  if (result) lines.push(say('settings-result-size', { width: result.width, height: result.height }, locale));
  else if (options.size !== undefined) lines.push(say('settings-size', { size: options.size }, locale));
  if (options.startAbove !== undefined) lines.push(say('settings-bigger-from', { size: options.startAbove }, locale));
  const minutes = pickedMinutes(options);
  if (minutes !== undefined) lines.push(say('settings-run-time', { minutes }, locale));
  if (options.seed !== undefined) lines.push(say('settings-seed', { seed: options.seed }, locale));
  // Details of a finished picture say how its colours were made; elsewhere what was asked for.
  if (details && result) lines.push(say('settings-colour-mode', { mode: colourModeOf(options, result) }, locale));
  else lines.push(say('settings-keep-colours', { keep: options.preserveColors === true }, locale));
  return lines;
}

/** The words posted with a preview image (Slack posts each preview as a file in the thread): how far it is, in plain words. */
export function previewWords(fraction: number, locale?: Locale): { title: string; comment: string } {
  const percent = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
  return { title: say('preview-title', { percent }, locale), comment: say('preview-comment', { percent }, locale) };
}
