// How many uploads the bot fetches and checks at once, whoever asked and on whichever platform. Each one
// holds two images (up to the size limit each) in memory until its job is journaled, so this cap bounds
// the bot's memory under a burst; the queue's reservations bound how many wait for their turn here.
import PQueue from 'p-queue';

/** Two uploads at once: four downloads, up to 40 MB of images with the default 10 MB limit. */
const DEFAULT_INTAKE_CONCURRENCY = 2;

export class IntakeGate {
  private readonly slots: PQueue;

  constructor(readonly concurrency: number = DEFAULT_INTAKE_CONCURRENCY) {
    this.slots = new PQueue({ concurrency });
  }

  /** Runs `task` (download, check and queue one job's images) once a slot is free. */
  run<T>(task: () => Promise<T>): Promise<T> {
    return this.slots.add(task);
  }
}
