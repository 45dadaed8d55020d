/**
 * Replays workflow histories against the current workflow code (R18): the same commands in the same order mean
 * the code still makes the same decisions. Used by the audit API, the `replay` command line and the golden tests.
 */
import type { PayloadCodec } from '@temporalio/common';
import { bundleWorkflowCode, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { EventEmitter, on } from 'node:events';
import { readFile } from 'node:fs/promises';
import { Worker as Thread } from 'node:worker_threads';
import { temporal } from '@temporalio/proto';
import { historyFromJson, type History } from './historyJson';
import type { ReplayJob, ReplayThreadOutcome } from './replayThread';
import { decodeHistory } from '../crypto/historyPayloads';
import { REPLAY_SINKS } from '../telemetry/temporalTracing';
import { engineDataConverter } from '../temporal/dataConverter';
import { engineBundleOptions } from '../temporal/workflowBundle';
import { dropUnlimitedSandboxTimeouts } from './untimedSandboxCalls';
import { stopPromiseStackTracking } from './untrackedPromises';

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
  /**
   * How many threads replay side by side on the same bundle code (each one history at a time): this one and
   * `concurrency` - 1 more; 1 (the default) replays in this thread only, in input order.
   */
  concurrency?: number;
}

export type IndexedOutcome = ReplayOutcome & { index: number };

/** The replay thread's entry; from TypeScript sources (tests, tsx) the thread loads tsx as the process did. */
const THREAD_FILE = require.resolve('./replayThread');
const THREAD_EXEC_ARGV = THREAD_FILE.endsWith('.ts') ? ['--import', 'tsx'] : [];

export class Replayer {
  private bundle: Promise<WorkflowBundleOption> | null = null;

  constructor(private readonly options: ReplayerOptions) {
    if (!options.workflowBundle && !options.workflowsPath) throw new Error('Replayer needs a workflowBundle or a workflowsPath');
  }

  /**
   * Replays every history, yielding one outcome per history as soon as it is known: in input order in this thread,
   * or, with `concurrency` > 1, on that many threads side by side, this one included (each takes the next history; outcomes come in order
   * of completion, `index` says which input each is).
   */
  async *replay(histories: Iterable<ReplayInput> | AsyncIterable<ReplayInput>): AsyncGenerator<IndexedOutcome> {
    const workflowBundle = await this.workflowBundle();
    const threads = this.options.concurrency ?? 1;
    if (threads > 1) {
      yield* this.replayInThreads(histories, await codeOf(workflowBundle), threads);
      return;
    }
    dropUnlimitedSandboxTimeouts();
    stopPromiseStackTracking();
    const options = { workflowBundle, replayName: 'soar-audit-replay', sinks: REPLAY_SINKS, dataConverter: engineDataConverter(this.options.payloadCodec) };
    let index = 0;
    for await (const result of Worker.runReplayHistories(options, asProto(histories))) {
      yield outcomeOf(index++, result.workflowId, result.runId, result.error ?? null);
    }
  }

  /**
   * The SDK replays in the calling thread, so side by side means threads of our own, each with one replay worker on the
   * same bundle code, and this thread as one more lane: it replays from the start while the others load (a thread takes
   * seconds to load the SDK and the bundle). The payloads are decoded here (the codec holds keys, which stay in this
   * thread).
   */
  private async *replayInThreads(histories: Iterable<ReplayInput> | AsyncIterable<ReplayInput>, code: string, count: number): AsyncGenerator<IndexedOutcome> {
    const source = numbered(asProto(histories));
    const events = new EventEmitter();
    const outcomes = on(events, 'outcome', { close: ['end'] });
    const emit = (outcome: IndexedOutcome) => events.emit('outcome', outcome);
    const decoded = async (history: History) => (this.options.payloadCodec ? decodeHistory(history, this.options.payloadCodec) : history);
    const threads = Array.from({ length: count - 1 }, () => new Thread(THREAD_FILE, { workerData: { code }, execArgv: THREAD_EXEC_ARGV }));
    /** A thread's lane ends when the source is drained: it is fed only after answering, so nothing of it is pending. */
    const threadLane = (thread: Thread) =>
      new Promise<void>((resolve, reject) => {
        const feed = async () => {
          const next = await source.next();
          if (next.done) {
            thread.postMessage(null);
            resolve();
            return;
          }
          const { index, input } = next.value;
          const job: ReplayJob = { index, workflowId: input.workflowId, history: temporal.api.history.v1.History.encode(await decoded(input.history)).finish() };
          thread.postMessage(job);
        };
        thread.on('message', (outcome: ReplayThreadOutcome) => {
          emit(outcomeOf(outcome.index, outcome.workflowId, outcome.runId, outcome.error));
          feed().catch(reject);
        });
        thread.on('error', reject);
        feed().catch(reject);
      });
    const ownLane = async () => {
      const taken: number[] = [];
      async function* jobs() {
        for (;;) {
          const next = await source.next();
          if (next.done) return;
          taken.push(next.value.index);
          yield { workflowId: next.value.input.workflowId, history: await decoded(next.value.input.history) };
        }
      }
      for await (const result of Worker.runReplayHistories({ workflowBundle: { code }, replayName: 'soar-audit-replay', sinks: REPLAY_SINKS }, jobs())) {
        emit(outcomeOf(taken.shift() ?? -1, result.workflowId, result.runId, result.error ?? null));
      }
    };
    dropUnlimitedSandboxTimeouts();
    stopPromiseStackTracking();
    Promise.all([ownLane(), ...threads.map(threadLane)]).then(
      () => events.emit('end'),
      (error: unknown) => events.emit('error', error),
    );
    try {
      for await (const [outcome] of outcomes) yield outcome as IndexedOutcome;
    } finally {
      await Promise.all(threads.map((thread) => thread.terminate()));
    }
  }

  /** Every outcome, in input order. */
  async replayAll(histories: Iterable<ReplayInput> | AsyncIterable<ReplayInput>): Promise<ReplayOutcome[]> {
    const outcomes: IndexedOutcome[] = [];
    for await (const outcome of this.replay(histories)) outcomes.push(outcome);
    return outcomes.sort((a, b) => a.index - b.index).map(({ index: _index, ...outcome }) => outcome);
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

/** One source several threads are fed from: an async generator queues concurrent `next()` calls, so each item goes to one. */
async function* numbered<T>(items: AsyncIterable<T>): AsyncGenerator<{ index: number; input: T }> {
  let index = 0;
  for await (const input of items) yield { index: index++, input };
}

/** What a replay thread or the SDK answered, as an outcome at its input's index. */
function outcomeOf(index: number, workflowId: string, runId: string, error: { name: string; message: string } | null): IndexedOutcome {
  return { index, workflowId, runId, deterministic: !error, divergence: error ? error.message : null, errorType: error ? error.name || 'ReplayError' : null };
}

async function codeOf(bundle: WorkflowBundleOption): Promise<string> {
  return 'code' in bundle ? bundle.code : readFile(bundle.codePath, 'utf8');
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
