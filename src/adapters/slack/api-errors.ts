// Counts the Web API's error answers for the operator's metrics. Every Web API client of the bot (Bolt's,
// the background and delivery clients, Socket Mode's apps.connections.open) makes its HTTP calls through
// this fetch, so it also sees the 429s and 5xx that a client waits out and repeats by itself, which no call
// site of ours sees. Slack answers most errors with HTTP 200 and `"ok": false`: those count by their name.
import type { webApi } from '@slack/bolt';
import type { ApiErrorListener } from '../types.js';

/** Slack's error names (not_in_channel, missing_scope...); anything else would make a label of any text. */
const ERROR_NAME = /^[a-z0-9_]{1,64}$/;

export function countingFetch(onApiError: ApiErrorListener, fetchImpl: typeof fetch = fetch): webApi.FetchFunction {
  return async (url, init) => {
    const response = await fetchImpl(url, init);
    const status = await errorStatus(response);
    if (status !== undefined) onApiError({ platform: 'slack', status });
    return response;
  };
}

/** The answer's HTTP status when it is not 200, Slack's error name for an `"ok": false`, else undefined. */
async function errorStatus(response: Response): Promise<string | undefined> {
  if (response.status !== 200) return String(response.status);
  if (!response.headers.get('content-type')?.includes('application/json')) return undefined;
  try {
    // A copy: the client reads the answer itself.
    const body: unknown = await response.clone().json();
    if (!body || typeof body !== 'object' || !('ok' in body) || body.ok !== false) return undefined;
    const name = 'error' in body ? body.error : undefined;
    return typeof name === 'string' && ERROR_NAME.test(name) ? name : 'unknown_error';
  } catch {
    // Not JSON after all: the client reports that to its caller.
    return undefined;
  }
}
