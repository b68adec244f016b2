// Slack reads message text as mrkdwn, where `&`, `<` and `>` are markup (links, mentions, entities): text
// the user typed or named (file names, the words after /stylize) is escaped before it goes into a message,
// as https://docs.slack.dev/messaging/formatting-message-text#escaping asks. Plain-text fields (a form's
// labels and field errors) take it as it is.
import { tell, type Locale, type UserProblem } from '../../wording/index.js';

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The parameters of a problem that carry what a user or a remote server wrote, not the bot's words. */
const FOREIGN_TEXT = ['fileName', 'host', 'detail'] as const;

/** A problem worded for a Slack message, its foreign text escaped. */
export function tellInMrkdwn(problem: UserProblem, locale: Locale | undefined): string {
  const params: Record<string, unknown> = { ...problem.params };
  for (const key of FOREIGN_TEXT) {
    const value = params[key];
    if (typeof value === 'string') params[key] = escapeMrkdwn(value);
  }
  return tell({ code: problem.code, params } as UserProblem, locale);
}
