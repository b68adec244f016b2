// What the fake Discord refuses as Discord does (400, code 50035 "Invalid Form Body"): a message, an edit, a
// thread or a command registration past the documented limits (src/adapters/shared/platform-limits.ts). So
// every end-to-end test also checks that what the bot sent would be accepted.
import { DISCORD } from '../../src/adapters/shared/platform-limits.js';
import type { Json } from './payloads.js';

type Problems = string[];

function text(problems: Problems, field: string, value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) problems.push(`${field}: ${value.length} > ${max} characters`);
}

function count(problems: Problems, field: string, value: unknown, max: number): void {
  if (Array.isArray(value) && value.length > max) problems.push(`${field}: ${value.length} > ${max} items`);
}

/** The problems of a message's body (create, edit, interaction response, follow-up); none: it is accepted. */
export function messageProblems(body: Json): Problems {
  const problems: Problems = [];
  text(problems, 'content', body['content'], DISCORD.content);
  const rows = Array.isArray(body['components']) ? (body['components'] as Json[]) : [];
  count(problems, 'components', rows, DISCORD.rowsPerMessage);
  rows.forEach((row, index) => {
    const components = Array.isArray(row['components']) ? (row['components'] as Json[]) : [];
    count(problems, `components.${index}.components`, components, DISCORD.buttonsPerRow);
    for (const component of components) {
      text(problems, 'custom_id', component['custom_id'], DISCORD.customId);
      text(problems, 'label', component['label'], DISCORD.buttonLabel);
      text(problems, 'placeholder', component['placeholder'], DISCORD.selectPlaceholder);
      const options = Array.isArray(component['options']) ? (component['options'] as Json[]) : [];
      count(problems, 'options', options, DISCORD.selectOptions);
      for (const option of options) {
        text(problems, 'option.label', option['label'], DISCORD.selectOptionLabel);
        text(problems, 'option.description', option['description'], DISCORD.selectOptionDescription);
        text(problems, 'option.value', option['value'], DISCORD.selectOptionValue);
      }
    }
  });
  const attachments = Array.isArray(body['attachments']) ? (body['attachments'] as Json[]) : [];
  for (const attachment of attachments) text(problems, 'attachment.description', attachment['description'], DISCORD.attachmentDescription);
  return problems;
}

export function threadProblems(body: Json): Problems {
  const problems: Problems = [];
  text(problems, 'name', body['name'], DISCORD.threadName);
  return problems;
}

/** The longest of a text and its localizations, as Discord counts a command's total. */
function longest(value: unknown, localized: unknown): number {
  const all = [value, ...Object.values((localized ?? {}) as Record<string, unknown>)];
  return Math.max(0, ...all.map((entry) => (typeof entry === 'string' ? entry.length : 0)));
}

/** Discord's naming rule for slash commands and options (a message command's name may have capitals and spaces). */
function nameProblems(problems: Problems, name: unknown, messageCommand: boolean): void {
  if (messageCommand || typeof name !== 'string') return;
  if (!DISCORD.command.namePattern.test(name) || name !== name.toLowerCase()) problems.push(`name: ${JSON.stringify(name)} breaks the naming rule`);
}

function optionProblems(problems: Problems, option: Json, depth: number): number {
  const { command } = DISCORD;
  for (const name of [option['name'], ...Object.values((option['name_localizations'] ?? {}) as Json)]) {
    text(problems, 'name', name, depth === 0 ? command.name : command.optionName);
    nameProblems(problems, name, depth === 0 && option['type'] === 3);
  }
  for (const description of [option['description'], ...Object.values((option['description_localizations'] ?? {}) as Json)]) {
    text(problems, 'description', description, depth === 0 ? command.description : command.optionDescription);
  }
  count(problems, 'options', option['options'], command.options);
  count(problems, 'choices', option['choices'], command.choices);
  let total = longest(option['name'], option['name_localizations']) + longest(option['description'], option['description_localizations']);
  for (const choice of Array.isArray(option['choices']) ? (option['choices'] as Json[]) : []) {
    for (const name of [choice['name'], ...Object.values((choice['name_localizations'] ?? {}) as Json)]) text(problems, 'choice.name', name, command.choiceName);
    text(problems, 'choice.value', choice['value'], command.choiceValue);
    total += longest(choice['name'], choice['name_localizations']) + String(choice['value']).length;
  }
  for (const child of Array.isArray(option['options']) ? (option['options'] as Json[]) : []) total += optionProblems(problems, child, depth + 1);
  return total;
}

/** The problems of a bulk command registration (PUT /applications/:id/commands). */
export function commandProblems(commands: Json[]): Problems {
  const problems: Problems = [];
  for (const command of commands) {
    const total = optionProblems(problems, command, 0);
    if (total > DISCORD.command.total) problems.push(`${String(command['name'])}: ${total} > ${DISCORD.command.total} characters in all`);
  }
  return problems;
}

/** Discord's answer to a body it refuses. */
export function invalidFormBody(problems: Problems): [number, unknown] {
  return [400, { code: 50035, message: 'Invalid Form Body', errors: { _errors: problems.map((message) => ({ code: 'BASE_TYPE_MAX_LENGTH', message })) } }];
}
