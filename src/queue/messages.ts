// Everything the queue says to end users, in one place so the wording stays consistent.
import type { QueueLimits } from './limits.js';
import type { SizeRefusal } from './size-check.js';

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

function oneDecimal(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
}

/** "15-minute", "1.5-second": as in "the 15-minute limit". */
function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${oneDecimal(ms / 60_000)}-minute` : `${oneDecimal(ms / 1000)}-second`;
}

export const userMessages = {
  notAccepting: 'The bot is restarting and is not taking new jobs right now. Please try again in a minute.',
  tooManyForUser: (limits: QueueLimits) =>
    `You already have ${limits.maxPendingPerUser} job${limits.maxPendingPerUser === 1 ? '' : 's'} waiting or running, the most one person may have at a time. Wait for one to finish (or cancel one), then try again.`,
  queueFull: (limits: QueueLimits) => `The queue is full (${limits.maxQueueLength} jobs waiting). Please try again in a few minutes.`,
  emptyImage: (role: string) => `Your ${role} image is empty. Please attach the image again.`,
  imageTooLarge: (role: string, bytes: number, limits: QueueLimits) =>
    `Your ${role} image is ${formatBytes(bytes)}; the largest image the bot takes is ${formatBytes(limits.maxInputBytes)}. Please send a smaller one.`,
  notOwnerRerun: 'Only the person who started that job can run it again. Use /stylize with your own images.',
  imagesUnreadable: 'Your images could not be checked, so the job was not started. Please try again, or try other pictures.',
  inputsGone: 'The images of that job are no longer kept, so it cannot be run again. Please start a new job with your images.',
  timedOut: (limits: QueueLimits) =>
    `Your job took longer than the ${formatDuration(limits.jobTimeoutMs)} limit and was stopped. Try again with a smaller size.`,
  engineCrashed:
    'The engine crashed while working on your image (it may have run out of memory). Try again with a smaller size; other jobs are not affected.',
  modelMissing: "The bot could not load its style-transfer model, so your job could not run. The bot's operator has been told.",
  engineUnavailable: "The engine could not start, so your job could not run. Please try again later; the bot's operator has been told.",
  storageUnavailable: 'The bot cannot save new jobs right now (its storage is full or failing). Please try again later.',
  storageFull: 'The bot has no room to store more images right now: the jobs already waiting fill its storage. Please try again later.',
  journalFailed: "The bot could not save your job's progress (its storage is full or failing), so the job was stopped. Please try again later.",
  crashedTooOften: (limits: QueueLimits) =>
    `The bot stopped unexpectedly ${limits.maxAttempts === 1 ? 'while' : `${limits.maxAttempts} times while`} working on your job, so it was not tried again. Try again with a smaller size; if it keeps happening, tell the bot's operator.`,
  resultGone: 'Your picture was made, but it is no longer kept, so it could not be posted. Please run the job again.',
  deliveryHiccup: 'posting the picture failed unexpectedly',
  deliveryGaveUp: (attempts: number) =>
    `Your picture is ready, but posting it failed ${attempts} times in a row, so the bot stopped trying. Please run the job again later.`,
  /** Until the adapters word SizeRefusedError from its code and figures. */
  sizeTooSlow: (refusal: SizeRefusal) =>
    `A ${refusal.size} px picture would take longer than the ${formatDuration(refusal.limitMs)} limit here. ` +
    (refusal.largestSize === undefined ? 'No size fits right now; please try again later.' : `Please choose ${refusal.largestSize} px or smaller.`),
  internalError: "Something went wrong inside the engine while working on your image. Please try again; if it keeps happening, tell the bot's operator.",
};
