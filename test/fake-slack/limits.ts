// What the fake Slack refuses as past the documented limits (src/adapters/shared/platform-limits.ts): blocks
// Slack would answer invalid_blocks, a form it would answer invalid_arguments, and text past the 4,000
// characters the bot keeps to (Slack itself cuts text at 40,000). So every end-to-end test also checks that
// what the bot sent would be shown whole.
import { SLACK } from '../../src/adapters/shared/platform-limits.js';
import type { Args } from './api.js';

type Problems = string[];
type Json = Record<string, unknown>;

function text(problems: Problems, field: string, value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) problems.push(`${field}: ${value.length} > ${max} characters`);
}

function count(problems: Problems, field: string, value: unknown, max: number): void {
  if (Array.isArray(value) && value.length > max) problems.push(`${field}: ${value.length} > ${max} items`);
}

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const textOf = (value: unknown): unknown => (value as Json | undefined)?.['text'];

function elementProblems(problems: Problems, element: Json): void {
  text(problems, 'action_id', element['action_id'], SLACK.actionId);
  if (element['type'] === 'button') {
    text(problems, 'button.text', textOf(element['text']), SLACK.buttonText);
    text(problems, 'button.value', element['value'], SLACK.buttonValue);
  }
  count(problems, 'options', element['options'], SLACK.selectOptions);
  for (const option of list(element['options'])) {
    text(problems, 'option.text', textOf(option['text']), SLACK.optionText);
    text(problems, 'option.description', textOf(option['description']), SLACK.optionDescription);
    text(problems, 'option.value', option['value'], SLACK.optionValue);
  }
}

function blocksProblems(problems: Problems, blocks: Json[], maxBlocks: number): void {
  count(problems, 'blocks', blocks, maxBlocks);
  for (const block of blocks) {
    text(problems, 'block_id', block['block_id'], SLACK.blockId);
    text(problems, 'section.text', textOf(block['text']), SLACK.sectionText);
    text(problems, 'label', textOf(block['label']), SLACK.inputLabel);
    text(problems, 'hint', textOf(block['hint']), SLACK.inputHint);
    if (block['type'] === 'actions') count(problems, 'actions.elements', block['elements'], SLACK.actionsElements);
    if (block['type'] === 'context') count(problems, 'context.elements', block['elements'], SLACK.contextElements);
    for (const element of list(block['elements'])) {
      if (element['type'] === 'mrkdwn' || element['type'] === 'plain_text') text(problems, 'context.text', element['text'], SLACK.sectionText);
      else elementProblems(problems, element);
    }
    if (block['accessory']) elementProblems(problems, block['accessory'] as Json);
    if (block['element']) elementProblems(problems, block['element'] as Json);
  }
}

/** chat.postMessage, chat.update, chat.postEphemeral: the Web API error Slack answers, or undefined. */
export function messageError(args: Args): { error: string; problems: Problems } | undefined {
  const problems: Problems = [];
  blocksProblems(problems, list(args['blocks']), SLACK.messageBlocks);
  if (problems.length > 0) return { error: 'invalid_blocks', problems };
  text(problems, 'text', args['text'], SLACK.text);
  return problems.length > 0 ? { error: 'msg_too_long', problems } : undefined;
}

/** views.open, views.update, views.push: the Web API error Slack answers, or undefined. */
export function viewError(args: Args): { error: string; problems: Problems } | undefined {
  const view = (args['view'] ?? {}) as Json;
  const problems: Problems = [];
  for (const part of ['title', 'submit', 'close'] as const) text(problems, part, textOf(view[part]), SLACK.modal[part]);
  text(problems, 'private_metadata', view['private_metadata'], SLACK.modal.privateMetadata);
  text(problems, 'callback_id', view['callback_id'], SLACK.modal.callbackId);
  blocksProblems(problems, list(view['blocks']), SLACK.modal.blocks);
  return problems.length > 0 ? { error: 'invalid_arguments', problems } : undefined;
}
