// The one error type whose message is for the user. Any layer throws it with a code and parameters; the
// sentence comes from the catalogue, so an adapter can word it in the user's language (tell(problem)).
// `message` holds the English sentence, for the command line and the logs. Errors that are not the user's
// to fix (bugs, the operator's configuration, a missing model) stay ordinary errors.
import type { UserErrorCode, UserErrorParams, UserProblem } from './catalogue.js';
import { say, type ParamsArg } from './say.js';

export class UserError<C extends UserErrorCode = UserErrorCode> extends Error {
  override readonly name = 'UserError';
  readonly code: C;
  readonly params: UserErrorParams[C];

  constructor(code: C, ...[params]: ParamsArg<UserErrorParams[C]>) {
    // Parameters left undefined are left out, so that a problem compares equal after a trip through IPC.
    const filled = Object.fromEntries(Object.entries(params ?? {}).filter(([, value]) => value !== undefined)) as UserErrorParams[C];
    super((say as (key: C, params: UserErrorParams[C]) => string)(code, filled));
    this.code = code;
    this.params = filled;
  }

  /** The error for a problem that travelled as data (an event, an IPC message). */
  static from(problem: UserProblem): UserError {
    return new (UserError as new (code: UserErrorCode, params: unknown) => UserError)(problem.code, problem.params);
  }

  /** Code and parameters as plain data: what events and the engine's process messages carry. */
  get problem(): UserProblem {
    return { code: this.code, params: structuredClone(this.params) } as UserProblem;
  }
}
