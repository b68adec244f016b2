// What the page shows of each job: its stage, kept from the queue's events (as the chat adapters keep
// their job messages), and its card, the platform-neutral job view (shared/job-view.ts) in the owner's
// language as JSON for the page's script. Previews are kept with the card until the job ends.
import type { JobEvent, JobInfo, StylizeQueue } from '../../queue/index.js';
import { say, type Locale } from '../../wording/index.js';
import { applyEvent, isFinal, statusOf, viewJob, type JobButton, type JobStage, type Markup } from '../shared/job-view.js';
import { libraryWordsOf } from '../shared/library-choice.js';
import { biggerSize } from '../shared/result-actions.js';
import { pickedMinutes } from '../shared/run-time.js';

interface Entry {
  job: JobInfo;
  stage: JobStage;
  preview?: Buffer;
  /** Counts previews, so that the page asks for the new one by a new address. */
  previews: number;
}

export interface CardButton {
  action: JobButton['action'];
  /** What the button runs with: the preset, the size, keep or drop the colours, the role... */
  value: string;
  label: string;
}

/** One job as the page draws it. */
export interface JobCard {
  id: string;
  heading: string;
  tone: string;
  status: string;
  final: boolean;
  /** The share of the job's time done, while it runs. */
  fraction?: number;
  /** Place in line, while it waits. */
  position?: number;
  buttons: CardButton[];
  preview?: { url: string; alt: string };
  result?: { url: string; alt: string; title: string };
}

/** Finished jobs' cards kept per browser, newest first; older ones leave the page's memory. */
const FINISHED_CARDS_KEPT = 30;

/**
 * Plain text: the page sets it as text. The status's only code span is the progress bar, which the page draws
 * as a <progress>: its characters give way to the share they show ("25%").
 */
const PLAIN: Markup = { bold: (text) => text, code: (text) => /\d+\s?%/.exec(text)?.[0] ?? text, mention: () => '' };

export class JobCards {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly queue: Pick<StylizeQueue, 'checkSize'>) {}

  /** Applies a queue event; returns the job's card as it is now. */
  apply(job: JobInfo, event: JobEvent): JobCard {
    const previous = this.entries.get(job.id);
    const change = applyEvent(previous?.stage, event);
    const entry: Entry = { job, stage: change.stage, previews: previous?.previews ?? 0 };
    if (change.preview) {
      entry.preview = change.preview;
      entry.previews += 1;
    } else if (previous?.preview && !isFinal(change.stage)) {
      entry.preview = previous.preview;
    }
    this.entries.delete(job.id);
    this.entries.set(job.id, entry);
    this.forgetOldFinished(job.userId);
    return this.card(entry);
  }

  /** The user's cards, oldest first (the page puts the newest on top). */
  cardsOf(userId: string): JobCard[] {
    return [...this.entries.values()].filter((entry) => entry.job.userId === userId).map((entry) => this.card(entry));
  }

  /** The job's latest preview, for its owner only. */
  previewOf(jobId: string, userId: string): Buffer | undefined {
    const entry = this.entries.get(jobId);
    return entry?.job.userId === userId ? entry.preview : undefined;
  }

  forget(jobId: string): void {
    this.entries.delete(jobId);
  }

  private forgetOldFinished(userId: string): void {
    const finished = [...this.entries.values()].filter((entry) => entry.job.userId === userId && isFinal(entry.stage));
    for (const entry of finished.slice(0, Math.max(0, finished.length - FINISHED_CARDS_KEPT))) this.entries.delete(entry.job.id);
  }

  private card(entry: Entry): JobCard {
    const { job, stage } = entry;
    const locale: Locale | undefined = job.locale;
    const bigger = stage.kind === 'done' ? biggerSize(stage.result, job.options, this.queue) : undefined;
    const view = viewJob(job, stage, PLAIN, { inThread: true, ...(bigger !== undefined ? { biggerSize: bigger } : {}) });
    const style = libraryWordsOf(job.options, locale)?.name;
    const { preset, size } = job.options;
    const minutes = pickedMinutes(job.options);
    const card: JobCard = {
      id: job.id,
      heading: say('web-job-heading', { preset, ...(size !== undefined ? { size } : {}), ...(style !== undefined ? { style } : {}), ...(minutes !== undefined ? { minutes } : {}) }, locale),
      tone: view.status.tone,
      status: stage.kind === 'cancelled' ? say('web-cancelled', {}, locale) : statusOf(stage, PLAIN, { inThread: true, ...(locale ? { locale } : {}) }).text,
      final: view.final,
      buttons: view.buttons.map((button) => ({ action: button.action, value: valueOf(button), label: button.label })),
    };
    if (stage.kind === 'running') card.fraction = stage.fraction;
    if (stage.kind === 'queued') card.position = stage.position;
    if (entry.preview) card.preview = { url: `/jobs/${job.id}/preview-${entry.previews}.png`, alt: say('preview-alt', {}, locale) };
    if (stage.kind === 'done') {
      card.result = { url: `/jobs/${job.id}/picture.png`, alt: say('result-alt', { width: stage.result.width, height: stage.result.height }, locale), title: say('result-title', { preset }, locale) };
    }
    return card;
  }
}

function valueOf(button: JobButton): string {
  switch (button.action) {
    case 'rerun':
      return button.preset;
    case 'bigger':
      return String(button.size);
    case 'colours':
      return button.keep ? 'keep' : 'drop';
    case 'use-as':
      return button.role;
    case 'brush':
      return button.brush;
    default:
      return '';
  }
}
