// A refusal as the Discord user who asked sees it (only them, in their language): the problem, marked.
import { tell, type Locale, type UserProblem } from '../../wording/index.js';

export function refusalText(problem: UserProblem, locale: Locale | undefined): string {
  return `⚠️ ${tell(problem, locale)}`;
}
