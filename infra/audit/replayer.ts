/**
 * Replays workflow histories against the current workflow code (R18): the same commands in the same order mean
 * the code still makes the same decisions. Used by the audit API, the `replay` command line and the golden tests.
 */
import type { PayloadCodec } from '@temporalio/common';
import { bundleWorkflowCode, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { historyFromJson, type History } from './historyJson';
import { REPLAY_SINKS } from '../telemetry/temporalTracing';
import { engineBundleOptions } from '../temporal/workflowBundle';

/** One history to replay; `history` is a proto History or its JSON (as `temporal workflow show -o json` prints it). */
export interface ReplayInput {
  workflowId: string;
  history: History | unknown;
}

export interface ReplayOutcome {
  workflowId: string;
  runId: string;
  deterministic: boolean;
  /** The first error's message (a DeterminismViolationError or a ReplayError), or null. */
  divergence: string | null;
  /** `DeterminismViolationError` or `ReplayError`, or null. */
  errorType: string | null;
}

export interface ReplayerOptions {
  /** A prebuilt bundle (tests bundle once); otherwise `workflowsPath` is bundled on first use. */
  workflowBundle?: WorkflowBundleOption;
  workflowsPath?: string;
  /**
   * The codec the histories were encrypted with (the engine's TenantPayloadCodec). Payloads it did not encrypt pass
   * through, so histories recorded without encryption (the golden ones) replay with or without it.
   */
  payloadCodec?: PayloadCodec;
}

export class Replayer {
  private bundle: Promise<WorkflowBundleOption> | null = null;

  constructor(private readonly options: ReplayerOptions) {
    if (!options.workflowBundle && !options.workflowsPath) throw new Error('Replayer needs a workflowBundle or a workflowsPath');
  }

  /** Replays each history in turn, yielding one outcome per history as soon as it is known. */
  async *replay(histories: Iterable<ReplayInput> | AsyncIterable<ReplayInput>): AsyncGenerator<ReplayOutcome> {
    const workflowBundle = await this.workflowBundle();
    for await (const result of Worker.runReplayHistories(
      { workflowBundle, replayName: 'soar-audit-replay', sinks: REPLAY_SINKS, ...(this.options.payloadCodec ? { dataConverter: { payloadCodecs: [this.options.payloadCodec] } } : {}) },
      asProto(histories),
    )) {
      const error = result.error;
      yield {
        workflowId: result.workflowId,
        runId: result.runId,
        deterministic: !error,
        divergence: error ? error.message : null,
        errorType: error ? error.name || 'ReplayError' : null,
      };
    }
  }

  /** Every outcome, in input order. */
  async replayAll(histories: Iterable<ReplayInput> | AsyncIterable<ReplayInput>): Promise<ReplayOutcome[]> {
    const outcomes: ReplayOutcome[] = [];
    for await (const outcome of this.replay(histories)) outcomes.push(outcome);
    return outcomes;
  }

  private workflowBundle(): Promise<WorkflowBundleOption> {
    const { workflowBundle, workflowsPath } = this.options;
    if (workflowBundle) return Promise.resolve(workflowBundle);
    // Bundling takes seconds: once per process, on first use, and not again after a failure is retried.
    this.bundle ??= bundleWorkflowCode({ ...engineBundleOptions(workflowsPath ?? ''), logger: quietLogger() }).then(
      (bundle) => ({ code: bundle.code }),
      (error: unknown) => {
        this.bundle = null;
        throw error;
      },
    );
    return this.bundle;
  }
}

/** JSON histories become proto Histories here: the SDK's own JSON reader fails in this install (see historyJson.ts). */
async function* asProto(histories: Iterable<ReplayInput> | AsyncIterable<ReplayInput>): AsyncGenerator<{ workflowId: string; history: History }> {
  for await (const { workflowId, history } of histories) {
    yield { workflowId, history: isJson(history) ? historyFromJson(history) : (history as History) };
  }
}

/** JSON names event types (`EVENT_TYPE_…`); a proto History numbers them. */
function isJson(history: unknown): boolean {
  const events = (history as { events?: { eventType?: unknown }[] } | null)?.events;
  return typeof events?.[0]?.eventType === 'string';
}

function quietLogger() {
  const noop = () => undefined;
  const warn = (message: string) => process.stderr.write(`[replay bundle] ${message}\n`);
  return { trace: noop, debug: noop, info: noop, log: noop, warn, error: warn };
}
