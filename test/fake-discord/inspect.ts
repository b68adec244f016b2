// Reading a job's story back from the fake Discord: its reply edits, its thread and its result.
import sharp from 'sharp';
import type { StoredAttachment, StoredMessage } from './payloads.js';
import type { FakeDiscord, RecordedCall } from './server.js';

export interface InteractionRef {
  id: string;
  token: string;
  originalId?: string;
  dispatchedAt: number;
  ackedAt?: number;
}

/** Edits of the interaction's reply through its token, in order. */
export function replyEdits(fake: FakeDiscord, interaction: InteractionRef): RecordedCall[] {
  return fake.calls.filter((call) => call.method === 'PATCH' && call.path.endsWith(`/${interaction.token}/messages/@original`));
}

/** The interaction's callback (defer or reply), if any. */
export function callback(fake: FakeDiscord, interaction: InteractionRef): RecordedCall | undefined {
  return fake.calls.find((call) => call.method === 'POST' && call.path === `/interactions/${interaction.id}/${interaction.token}/callback`);
}

/** Ephemeral follow-ups sent through the interaction's token. */
export function ephemeralFollowUps(fake: FakeDiscord, interaction: InteractionRef): string[] {
  return fake.calls
    .filter((call) => call.method === 'POST' && call.path.endsWith(`/webhooks/${fake.applicationId}/${interaction.token}`))
    .map((call) => call.body as { content?: string; flags?: number })
    .filter((body) => ((body.flags ?? 0) & 64) === 64)
    .map((body) => body.content ?? '');
}

/**
 * The text of an ephemeral answer: an immediate reply (callback type 4 with the ephemeral flag), or an
 * ephemeral deferral (type 5, for answers that need the disk or the network first) and its last edit.
 */
export function ephemeralReply(fake: FakeDiscord, interaction: InteractionRef): string | undefined {
  const body = callback(fake, interaction)?.body as { type?: number; data?: { content?: string; flags?: number } } | undefined;
  if (((body?.data?.flags ?? 0) & 64) !== 64) return undefined;
  if (body?.type === 4) return body.data?.content;
  if (body?.type !== 5) return undefined;
  const edit = replyEdits(fake, interaction).filter((call) => call.status === 200).at(-1);
  return edit ? contentOf(edit) : undefined;
}

/** A result's attachment: named after its job (stylized-<job id>.png). */
export function isResultFile(attachment: StoredAttachment): boolean {
  return /^stylized-\w+\.png$/.test(attachment.filename);
}

/** The messages in a thread that carry a result. */
export function resultsIn(fake: FakeDiscord, threadId: string): StoredMessage[] {
  return fake.messagesIn(threadId).filter((message) => message.attachments.some(isResultFile));
}

export function resultIn(fake: FakeDiscord, threadId: string): { message: StoredMessage; png: StoredAttachment } | undefined {
  for (const message of fake.messagesIn(threadId)) {
    const png = message.attachments.find(isResultFile);
    if (png) return { message, png };
  }
  return undefined;
}

/** Waits for the job started by `interaction` to post its result in the thread on its reply. */
export async function waitForResult(fake: FakeDiscord, interaction: InteractionRef, timeoutMs = 60_000) {
  return fake.waitFor(() => (interaction.originalId ? resultIn(fake, interaction.originalId) : undefined), timeoutMs, 'the result in the thread');
}

export async function pngSize(data: Buffer | undefined): Promise<{ width: number; height: number; format: string }> {
  if (!data) throw new Error('no image data');
  const meta = await sharp(data).metadata();
  return { width: meta.width ?? 0, height: meta.height ?? 0, format: meta.format ?? '' };
}

export function contentOf(call: RecordedCall): string {
  return String((call.body as { content?: unknown } | undefined)?.content ?? '');
}

/** Smallest time between consecutive calls (Infinity with fewer than two), by `stamp` (e.g. the test clock's). */
export function minGap(calls: RecordedCall[], stamp: (call: RecordedCall) => number): number {
  let gap = Infinity;
  for (let i = 1; i < calls.length; i++) gap = Math.min(gap, stamp(calls[i] as RecordedCall) - stamp(calls[i - 1] as RecordedCall));
  return gap;
}
