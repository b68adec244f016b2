// Clicks on a finished picture's buttons beyond "run again" (see shared/result-actions.ts). Bigger, the
// colours and the brush sizes run the job again for its owner; "Use as photo" / "Use as style" start a job of the clicker's own
// from the picture (anyone in the channel may: they see it); Details shows the settings to the clicker only;
// Delete (owner, see queue/owners.ts) removes the picture's message and everything the bot kept of the job.
import { MessageFlags } from 'discord.js';
import type { ButtonInteraction } from 'discord.js';
import type { Logger } from 'pino';
import { isOwner } from '../../queue/index.js';
import type { Clock, DeleteOutcome, JobInfo, JobOptions, JobOwner, StylizeQueue } from '../../queue/index.js';
import { say, UserError } from '../../wording/index.js';
import { describeSettings } from '../shared/job-view.js';
import { biggerOptions, brushOptions, coloursOptions, reuseOptions } from '../shared/result-actions.js';
import type { JobMessages } from './job-messages.js';
import type { ResultButtonCommand } from './result-buttons.js';
import { localeOf } from './locale.js';
import { actorOf } from './server-rules.js';

export interface ResultActionContext {
  queue: StylizeQueue;
  messages: Pick<JobMessages, 'expect' | 'forget'>;
  log: Logger;
  clock: Clock;
  ownerOf(interaction: ButtonInteraction): JobOwner;
  /** After a deferred reply: removes it and tells only the clicker why. */
  refuseAfterDefer(interaction: ButtonInteraction, error: UserError): Promise<void>;
}

const DELETE_NOTE: Readonly<Record<Exclude<DeleteOutcome, 'deleted'>, Parameters<typeof say>[0]>> = {
  'not-owner': 'delete-not-owner',
  'not-found': 'delete-not-found',
  'not-finished': 'delete-not-finished',
};

function ephemeral(interaction: ButtonInteraction, text: string): Promise<unknown> {
  return interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
}

export async function onResultButton(interaction: ButtonInteraction, command: ResultButtonCommand, context: ResultActionContext): Promise<void> {
  const { queue, log } = context;
  // A moderator (Manage Messages) may delete another's result; answers are in the clicker's language.
  const actor = actorOf(interaction);
  const locale = localeOf(interaction);
  const job = queue.get(command.jobId);
  switch (command.action) {
    case 'details': {
      // Answered first (Discord allows 3 s): the picture's description is read from the disk.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const result = await queue.resultOf(command.jobId);
      if (!job || !result) return void (await interaction.editReply(say('delete-not-found', {}, locale)));
      await interaction.editReply([say('details-heading', {}, locale), ...describeSettings(job.options, result, locale).map((line) => `• ${line}`)].join('\n'));
      return;
    }
    case 'delete': {
      // Answered first: deleting removes files.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const outcome = await queue.deleteJob(command.jobId, actor);
      log.info({ jobId: command.jobId, userId: actor.userId, outcome }, 'delete button');
      if (outcome !== 'deleted') return void (await interaction.editReply(say(DELETE_NOTE[outcome], {}, locale)));
      await interaction.editReply(say('delete-done', {}, locale));
      // The picture's message; the job's status message above it stays, saying it was done.
      await interaction.message.delete().catch((error: unknown) => log.warn({ jobId: command.jobId, err: String(error) }, 'could not remove the deleted result message'));
      return;
    }
    case 'bigger':
    case 'colours':
    case 'brush': {
      if (!job) return void (await ephemeral(interaction, `⚠️ ${say('rerun-images-gone', {}, locale)}`));
      if (!isOwner(job, actor)) return void (await ephemeral(interaction, `⚠️ ${say('rerun-not-owner', {}, locale)}`));
      const options =
        command.action === 'bigger' ? biggerOptions(job.options, command.size) : command.action === 'colours' ? coloursOptions(job.options, command.keep) : brushOptions(job.options, command.brush);
      if (!options) return void (await ephemeral(interaction, `⚠️ ${say('something-went-wrong', {}, locale)}`));
      // Bigger goes on from the picture; the others run the job's images again.
      await startFrom(interaction, context, job, options, (owner) => (command.action === 'bigger' ? queue.bigger(command.jobId, owner, options) : queue.rerun(command.jobId, owner, options)));
      return;
    }
    case 'use-as': {
      if (!job) return void (await ephemeral(interaction, `⚠️ ${say('rerun-images-gone', {}, locale)}`));
      const options = reuseOptions(job.options, command.role);
      await startFrom(interaction, context, job, options, (owner) => queue.reuseResult(command.jobId, command.role, owner, options));
      return;
    }
  }
}

/** A new job from a result: a public reply in the thread that the new job's messages take over. */
async function startFrom(interaction: ButtonInteraction, context: ResultActionContext, from: JobInfo, options: JobOptions, start: (owner: JobOwner) => Promise<JobInfo>): Promise<void> {
  const receivedAt = context.clock.now();
  await interaction.deferReply();
  const owner = context.ownerOf(interaction);
  context.messages.expect(interaction.id, interaction, receivedAt);
  try {
    const queued = await start(owner);
    context.log.info({ jobId: queued.id, fromJobId: from.id, options, userId: owner.userId, button: interaction.customId.split(':')[1] }, 'job started from a result');
  } catch (error) {
    context.messages.forget(interaction.id);
    if (!(error instanceof UserError)) throw error;
    await context.refuseAfterDefer(interaction, error);
  }
}

