/**
 * Takes failure texts out of the Temporal SDK's own log lines (worker, core) before they are written: an activity's or
 * a workflow's error message and stack trace may name a UPN, an e-mail address or a host name from the alert. The line
 * stays (what failed, where, which error type); the text goes. The failure itself is kept, encrypted, in the history.
 */
import type { LogLevel, LogMetadata } from '@temporalio/worker';

/** Fields in which the SDK and its core hand over a failure (an Error object or core's debug print of a Failure). */
const FAILURE_FIELDS = new Set(['error', 'err', 'failure', 'cause', 'details', 'stack', 'stackTrace', 'stack_trace', 'entry', 'e']);

/** Where a log line comes from: the SDK's own lines (`worker`, `core`) or the engine's calls through a context logger. */
const SDK_COMPONENTS = new Set(['worker', 'core']);

export interface SdkLogLine {
  message: string;
  meta: LogMetadata;
}

export function redactSdkLogLine(level: LogLevel, message: string, meta: LogMetadata = {}): SdkLogLine {
  // A copy keeps the symbol keys too (the SDK's log time stamp).
  const redacted: LogMetadata = { ...meta };
  for (const name of Object.keys(meta)) if (FAILURE_FIELDS.has(name)) redacted[name] = failureSummary(meta[name]);
  const sdkFailureLine = (level === 'WARN' || level === 'ERROR') && SDK_COMPONENTS.has(String(meta['sdkComponent'] ?? 'worker'));
  return { message: sdkFailureLine ? sdkMessage(message) : message, meta: redacted };
}

/**
 * The SDK's own warnings and errors append an error's text after a colon (`Error while processing ActivityTask.start:
 * ...`, `Workflow Worker Thread failed: ...`), core's a debug print: keep what comes before it, one line. (Its INFO
 * lines carry no failure; the bundler's report is one of them.)
 */
function sdkMessage(message: string): string {
  const firstLine = message.split('\n')[0] ?? '';
  const colon = firstLine.indexOf(': ');
  return colon < 0 && firstLine === message ? message : `${colon < 0 ? firstLine : firstLine.slice(0, colon)}: [redacted]`;
}

/** What a failure was, without what it said: its class and failure type, and the same for its cause. */
export type FailureSummary = { name: string; type?: string; cause?: FailureSummary } | '[redacted]';

function failureSummary(value: unknown, depth = 0): FailureSummary {
  if (typeof value === 'string') {
    // Core's debug print of a Failure: its application failure type is the one part worth keeping.
    if (!value.startsWith('Failure {')) return '[redacted]';
    const type = /r#type: "([^"\n]{1,100})"/.exec(value)?.[1];
    return { name: 'Failure', ...(type ? { type } : {}) };
  }
  if (!(value instanceof Error)) return '[redacted]';
  const type = 'type' in value && typeof value.type === 'string' ? value.type : undefined;
  const cause = depth < 3 && value.cause !== undefined ? failureSummary(value.cause, depth + 1) : undefined;
  return { name: value.name, ...(type ? { type } : {}), ...(cause && cause !== '[redacted]' ? { cause } : {}) };
}
