// Settings of the operator endpoint (/healthz and /metrics): off unless a port is set, and bound to the
// loopback interface unless a host is named, so that nothing is exposed by accident.
import type { EnvReader } from '../settings/env-reader.js';

export interface OperatorConfig {
  /** 0 picks a free port; the log line and the endpoint's address() tell which. */
  port: number;
  host: string;
}

export const DEFAULT_OPERATOR_HOST = '127.0.0.1';

const OPERATOR_VARS = ['STYLIZE_OPERATOR_PORT', 'STYLIZE_OPERATOR_HOST'];

/** The endpoint's settings, or undefined when it stays off (no port set, or a wrong value). */
export function readOperatorConfig(reader: EnvReader): OperatorConfig | undefined {
  if (!reader.anySet(OPERATOR_VARS)) return undefined;
  const host = reader.text('STYLIZE_OPERATOR_HOST') ?? DEFAULT_OPERATOR_HOST;
  if (reader.required('STYLIZE_OPERATOR_PORT', 'the port of the operator endpoint (/healthz and /metrics), such as 9464', OPERATOR_VARS) === undefined) return undefined;
  const port = reader.integer('STYLIZE_OPERATOR_PORT', 0, 65_535);
  return port === undefined ? undefined : { port, host };
}
