// What the page's posts do, on the same queue and with the same checks as the chat platforms: an image is
// held once its declared size and format pass (the size before a byte is read); a job reserves its place
// in line, then takes the held images (or a library painting) to the queue, which probes them in its own
// process; a job's buttons are the Discord result's (shared/result-actions.ts), for its owner.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { isOwner, mayManage } from '../../queue/index.js';
import type { JobInfo, JobOptions, JobOwner, StylizeQueue, Reservation } from '../../queue/index.js';
import { readLibraryStyle } from '../../styles/library.js';
import { isPresetName } from '../shared/presets.js';
import { say, tell, UserError, type ImageRole, type Locale } from '../../wording/index.js';
import { isAcceptedMimeType } from '../shared/formats.js';
import type { IntakeGate } from '../shared/intake-gate.js';
import { chooseStyle } from '../shared/library-choice.js';
import { cancelNote } from '../shared/notes.js';
import { DEFAULT_PRESET, MAX_SIZE, MIN_SIZE } from '../shared/options.js';
import { biggerOptions, brushOptions, coloursOptions, reuseOptions } from '../shared/result-actions.js';
import { isBrushSize } from '../shared/blend.js';
import { assertSizeFits } from '../shared/size-gate.js';
import { readMinutes } from '../shared/run-time.js';
import { describeSettings } from '../shared/job-view.js';
import { BodyTimedOut, BodyTooLarge, readBody, sendBytes, sendJson } from './http.js';
import type { JobCards } from './job-cards.js';
import type { LiveStreams } from './live.js';
import { refusal, type Visitor, type WebRoutes } from './server.js';
import type { StagedUploads } from './staged-uploads.js';

export interface ActionDeps {
  queue: StylizeQueue;
  cards: JobCards;
  live: LiveStreams;
  staged: StagedUploads;
  intake: IntakeGate;
  /** Time allowed for an image's body to arrive. */
  uploadTimeoutMs: number;
  log: Logger;
}

const DELETE_NOTE = { 'not-owner': 'delete-not-owner', 'not-found': 'delete-not-found', 'not-finished': 'delete-not-finished' } as const;

function ownerOf(visitor: Visitor): JobOwner {
  return { platform: 'web', userId: visitor.userId, userName: `browser ${visitor.userId.slice(0, 6)}`, reply: {}, locale: visitor.locale };
}

/** The file's name as the page sends it (URI-encoded, for the messages only); empty when it sends none. */
function fileNameOf(req: IncomingMessage): string {
  const raw = req.headers['x-file-name'];
  if (typeof raw !== 'string') return '';
  try {
    return decodeURIComponent(raw).slice(0, 200);
  } catch {
    return '';
  }
}

/** The "My jobs" list of a browser: its waiting and running jobs, as the chat's jobs command lists them. */
export function jobsListOf(queue: StylizeQueue, userId: string, locale: Locale): Array<{ id: string; text: string }> {
  return queue.jobsOf({ platform: 'web', userId }).map(({ job, position }) => ({
    id: job.id,
    text: position === undefined ? say('jobs-line-running', { preset: job.options.preset }, locale) : say('jobs-line-waiting', { preset: job.options.preset, position }, locale),
  }));
}

export function webRoutes(deps: ActionDeps): WebRoutes {
  const { queue, log } = deps;

  async function upload(visitor: Visitor, role: ImageRole, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { locale } = visitor;
    const fileName = fileNameOf(req);
    const about = { role, ...(fileName ? { fileName } : {}) };
    const refuse = (status: number, problem: UserError): void => {
      // The body is drained unread, so that a browser still sending gets the answer.
      req.resume();
      sendJson(res, status, { error: tell(problem.problem, locale) });
    };
    if (!isAcceptedMimeType(req.headers['content-type'])) return refuse(415, new UserError('image-not-accepted', about));
    const maxBytes = queue.limits.maxInputBytes;
    const declared = Number(req.headers['content-length']);
    if (!Number.isFinite(declared)) return refuse(411, new UserError('images-not-checked'));
    if (declared > maxBytes) return refuse(413, new UserError('image-too-large', { ...about, bytes: declared, maxBytes }));
    if (declared === 0) return refuse(400, new UserError('image-empty', about));
    let bytes: Buffer;
    try {
      // Counted against the bot's cap on images in memory at once, with the chat platforms' downloads.
      bytes = await deps.intake.run(() => readBody(req, maxBytes, deps.uploadTimeoutMs));
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendJson(res, 413, { error: tell({ code: 'download-too-large', params: { role, maxBytes } }, locale) });
      if (error instanceof BodyTimedOut) {
        log.warn({ user: visitor.userId, role, timeoutMs: deps.uploadTimeoutMs }, 'web chat image did not arrive in time');
        res.setHeader('Connection', 'close');
        return sendJson(res, 408, { error: tell({ code: 'download-timed-out', params: { role, timeoutMs: deps.uploadTimeoutMs } }, locale) });
      }
      throw error;
    }
    const id = deps.staged.put(visitor.userId, role, fileName, bytes);
    log.info({ user: visitor.userId, role, bytes: bytes.length }, 'web chat image received');
    sendJson(res, 200, { id, note: say('web-image-ready', { fileName: fileName || say('form-photo', {}, locale) }, locale) });
  }

  /**
   * The job's options from the form; a size out of range is refused with the form's own sentence. A painting
   * time the limit does not fit (a page from before it changed) is capped to what does.
   */
  function optionsOf(form: URLSearchParams, locale: Locale): JobOptions | string {
    const preset = form.get('preset') ?? '';
    const options: JobOptions = { preset: isPresetName(preset) ? preset : DEFAULT_PRESET };
    const minutes = readMinutes(form.get('minutes'), queue.limits.jobTimeoutMs);
    if (minutes !== undefined) options.runMinutes = minutes;
    const size = (form.get('size') ?? '').trim();
    if (size !== '') {
      const value = Number(size);
      if (!Number.isInteger(value) || value < MIN_SIZE || value > MAX_SIZE) return say('form-size-invalid', { min: MIN_SIZE, max: MAX_SIZE }, locale);
      options.size = value;
    }
    return options;
  }

  async function submit(visitor: Visitor, form: URLSearchParams, res: ServerResponse): Promise<void> {
    const { locale, userId } = visitor;
    const options = optionsOf(form, locale);
    if (typeof options === 'string') return sendJson(res, 400, { error: options });
    // An image id the page names but no longer held (dropped after an hour, or by a restart) is missing.
    const photo = deps.staged.get(userId, 'content', form.get('photo') ?? '');
    if (!photo) return sendJson(res, 400, { error: say('form-image-missing', { role: 'content' }, locale) });
    const styleId = form.get('style') ?? '';
    const staged = styleId ? deps.staged.get(userId, 'style', styleId) : undefined;
    if (styleId && !staged) return sendJson(res, 400, { error: say('form-image-missing', { role: 'style' }, locale) });
    let place: Reservation | undefined;
    try {
      const style = chooseStyle(staged, form.get('library') || undefined);
      if (style.kind === 'library') options.libraryStyle = style.style.id;
      assertSizeFits(queue, options);
      // A place in line before the images go anywhere, as on the chat platforms.
      place = await queue.reserve({ platform: 'web', userId });
      const reserved = place;
      const job = await deps.intake.run(async () => {
        const styleBytes = style.kind === 'upload' ? style.upload.bytes : await readLibraryStyle(style.style);
        return queue.submit({ ...ownerOf(visitor), content: photo.bytes, style: styleBytes, options }, reserved);
      });
      log.info({ jobId: job.id, user: userId, preset: options.preset }, 'web chat job queued');
      sendJson(res, 200, { jobId: job.id });
    } catch (error) {
      refusal(res, error, locale, log);
    } finally {
      place?.release();
    }
  }

  /** Starts a job of the visitor's from `jobId` (rerun with other options, or its picture reused). */
  async function startFrom(visitor: Visitor, res: ServerResponse, enqueue: () => Promise<JobInfo>): Promise<void> {
    try {
      const job = await enqueue();
      log.info({ jobId: job.id, user: visitor.userId }, 'web chat job queued from a result');
      sendJson(res, 200, { jobId: job.id });
    } catch (error) {
      refusal(res, error, visitor.locale, log);
    }
  }

  async function act(visitor: Visitor, jobId: string, action: string, form: URLSearchParams, res: ServerResponse): Promise<void> {
    const { locale, userId } = visitor;
    const actor = { platform: 'web' as const, userId };
    const value = form.get('value') ?? '';
    const job = queue.get(jobId);
    // `how`: a rerun on the job's images, or Bigger, which goes on from its picture.
    const rerun = (options: (job: JobInfo) => JobOptions | undefined, how: 'rerun' | 'bigger' = 'rerun'): Promise<void> => {
      if (!job) return Promise.resolve(sendJson(res, 404, { error: say('rerun-images-gone', {}, locale) }));
      if (!isOwner(job, actor)) return Promise.resolve(sendJson(res, 403, { error: say('rerun-not-owner', {}, locale) }));
      const next = options(job);
      if (!next) return Promise.resolve(sendJson(res, 400, { error: say('something-went-wrong', {}, locale) }));
      return startFrom(visitor, res, () => queue[how](jobId, ownerOf(visitor), next));
    };
    switch (action) {
      case 'cancel': {
        const outcome = await queue.cancel(jobId, actor);
        log.info({ jobId, user: userId, outcome }, 'web chat cancel');
        if (outcome === 'cancelled') return sendJson(res, 200, {});
        return sendJson(res, outcome === 'not-owner' ? 403 : 409, { error: cancelNote(outcome, locale) });
      }
      case 'rerun':
        return rerun((from) => (isPresetName(value) ? { ...from.options, preset: value } : undefined));
      case 'bigger':
        return rerun((from) => (/^\d+$/.test(value) ? biggerOptions(from.options, Number(value)) : undefined), 'bigger');
      case 'colours':
        return rerun((from) => coloursOptions(from.options, value === 'keep'));
      case 'brush':
        return rerun((from) => (isBrushSize(value) ? brushOptions(from.options, value) : undefined));
      case 'use-as': {
        if (value !== 'content' && value !== 'style') return sendJson(res, 400, { error: say('something-went-wrong', {}, locale) });
        if (!job) return sendJson(res, 404, { error: say('rerun-images-gone', {}, locale) });
        // On the web nobody else sees the picture: only its owner may start from it.
        if (!isOwner(job, actor)) return sendJson(res, 403, { error: say('rerun-not-owner', {}, locale) });
        const options = reuseOptions(job.options, value);
        return startFrom(visitor, res, () => queue.reuseResult(jobId, value, ownerOf(visitor), options));
      }
      case 'details': {
        const result = await queue.resultOf(jobId);
        if (!job || !result || !mayManage(job, actor)) return sendJson(res, 404, { error: say('delete-not-found', {}, locale) });
        return sendJson(res, 200, { heading: say('details-heading', {}, locale), lines: describeSettings(job.options, result, locale) });
      }
      case 'delete': {
        const outcome = await queue.deleteJob(jobId, actor);
        log.info({ jobId, user: userId, outcome }, 'web chat delete');
        if (outcome !== 'deleted') return sendJson(res, outcome === 'not-owner' ? 403 : 409, { error: say(DELETE_NOTE[outcome], {}, locale) });
        deps.cards.forget(jobId);
        deps.live.send(userId, 'removed', { id: jobId });
        return sendJson(res, 200, { note: say('delete-done', {}, locale) });
      }
      default:
        return sendJson(res, 404, { error: 'not found' });
    }
  }

  async function picture(visitor: Visitor, jobId: string, which: 'picture' | 'preview', res: ServerResponse): Promise<void> {
    const job = queue.get(jobId);
    const bytes = which === 'preview' ? deps.cards.previewOf(jobId, visitor.userId) : job && isOwner(job, { platform: 'web', userId: visitor.userId }) ? await queue.pictureOf(jobId) : undefined;
    if (!bytes) return sendJson(res, 404, { error: say('delete-not-found', {}, visitor.locale) });
    sendBytes(res, 'image/png', bytes);
  }

  function events(visitor: Visitor, res: ServerResponse): void {
    const cards = deps.cards.cardsOf(visitor.userId);
    deps.live.open(visitor.userId, res, [...cards.map((card) => ({ event: 'job', data: card })), { event: 'jobs', data: jobsListOf(queue, visitor.userId, visitor.locale) }]);
  }

  return { upload, submit, act, picture, events };
}
