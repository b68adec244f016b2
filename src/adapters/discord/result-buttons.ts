// The custom ids of a finished picture's buttons beyond "run again" (see shared/result-actions.ts). Like the
// others they carry all they need (the job id, the size, the colours, the brush size), so they work after a restart.
import { ButtonBuilder, ButtonStyle } from 'discord.js';
import type { BrushSize } from '../../wording/index.js';
import { isBrushSize } from '../shared/blend.js';
import type { JobButton } from '../shared/job-view.js';

const PREFIX = 'stylize';

export type ResultButtonCommand =
  | { action: 'bigger'; jobId: string; size: number }
  | { action: 'colours'; jobId: string; keep: boolean }
  | { action: 'use-as'; jobId: string; role: 'content' | 'style' }
  | { action: 'details'; jobId: string }
  | { action: 'delete'; jobId: string }
  | { action: 'brush'; jobId: string; brush: BrushSize };

type ResultButton = Extract<JobButton, { action: ResultButtonCommand['action'] }>;

export function isResultButton(choice: JobButton): choice is ResultButton {
  return choice.action === 'bigger' || choice.action === 'colours' || choice.action === 'use-as' || choice.action === 'details' || choice.action === 'delete' || choice.action === 'brush';
}

export function resultButtonId(jobId: string, choice: ResultButton): string {
  switch (choice.action) {
    case 'bigger':
      return `${PREFIX}:bigger:${choice.size}:${jobId}`;
    case 'colours':
      return `${PREFIX}:colours:${choice.keep ? 'keep' : 'style'}:${jobId}`;
    case 'use-as':
      return `${PREFIX}:use:${choice.role}:${jobId}`;
    case 'brush':
      return `${PREFIX}:brush:${choice.brush}:${jobId}`;
    case 'details':
    case 'delete':
      return `${PREFIX}:${choice.action}:${jobId}`;
  }
}

export function resultButton(jobId: string, choice: ResultButton): ButtonBuilder {
  const style = choice.action === 'delete' ? ButtonStyle.Danger : choice.action === 'bigger' ? ButtonStyle.Primary : ButtonStyle.Secondary;
  return new ButtonBuilder().setCustomId(resultButtonId(jobId, choice)).setLabel(choice.label).setStyle(style);
}

/** The command of a result button's custom id, or undefined when it is not one. */
export function parseResultButtonId(customId: string): ResultButtonCommand | undefined {
  const [prefix, action, arg, jobId, ...rest] = customId.split(':');
  if (prefix !== PREFIX || rest.length > 0) return undefined;
  if ((action === 'details' || action === 'delete') && arg && jobId === undefined) return { action, jobId: arg };
  if (!jobId) return undefined;
  if (action === 'bigger' && arg !== undefined && /^\d+$/.test(arg)) return { action, jobId, size: Number(arg) };
  if (action === 'colours' && (arg === 'keep' || arg === 'style')) return { action, jobId, keep: arg === 'keep' };
  if (action === 'use' && (arg === 'content' || arg === 'style')) return { action: 'use-as', jobId, role: arg };
  if (action === 'brush' && isBrushSize(arg)) return { action, jobId, brush: arg };
  return undefined;
}
