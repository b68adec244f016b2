// Routes the interactions of issue 10's commands: /stylize-help, /stylize-jobs (answered only to the
// caller), the message command "Stylize" and its pickers. The jobs list's Cancel buttons are the job
// buttons' own, handled with them in adapter.ts.
import { MessageFlags } from 'discord.js';
import type { Interaction } from 'discord.js';
import type { Clock, StylizeQueue } from '../../queue/index.js';
import { renderHelp, renderJobs } from './help-jobs.js';
import { localeOf } from './locale.js';
import { isPickerId, MessageCommand, type MessageCommandDeps } from './message-command.js';
import { HELP_COMMAND_NAME, JOBS_COMMAND_NAME, MESSAGE_COMMAND_NAME } from './reach-commands.js';

export interface ReachDeps {
  queue: StylizeQueue;
  clock: Clock;
  startJob: MessageCommandDeps['startJob'];
}

export class ReachCommands {
  private readonly messageCommand: MessageCommand;

  constructor(private readonly deps: ReachDeps) {
    this.messageCommand = new MessageCommand({ clock: deps.clock, startJob: deps.startJob });
  }

  /** Answers the interaction when it is one of these commands; false when it is not. */
  async route(interaction: Interaction): Promise<boolean> {
    if (interaction.isChatInputCommand() && interaction.commandName === HELP_COMMAND_NAME) {
      const { queue } = this.deps;
      const facts = {
        maxBytes: queue.limits.maxInputBytes,
        maxPerUser: queue.limits.maxPendingPerUser,
        maxQueueLength: queue.limits.maxQueueLength,
        jobTimeoutMs: queue.limits.jobTimeoutMs,
        keptMs: queue.keepFinishedMs,
      };
      const [first = '', ...others] = renderHelp(facts, localeOf(interaction));
      await interaction.reply({ content: first, flags: MessageFlags.Ephemeral });
      for (const page of others) await interaction.followUp({ content: page, flags: MessageFlags.Ephemeral });
      return true;
    }
    if (interaction.isChatInputCommand() && interaction.commandName === JOBS_COMMAND_NAME) {
      const jobs = this.deps.queue.jobsOf({ platform: 'discord', userId: interaction.user.id });
      await interaction.reply({ ...renderJobs(jobs, localeOf(interaction)), flags: MessageFlags.Ephemeral });
      return true;
    }
    if (interaction.isMessageContextMenuCommand() && interaction.commandName === MESSAGE_COMMAND_NAME) {
      await this.messageCommand.onCommand(interaction);
      return true;
    }
    if ((interaction.isStringSelectMenu() || interaction.isButton()) && isPickerId(interaction.customId)) {
      await this.messageCommand.onPick(interaction);
      return true;
    }
    return false;
  }
}
