/**
 * A replay thread (infra/audit/replayer.ts with `concurrency` > 1): replays, one at a time, the histories the parent
 * sends on the bundle it was started with, and answers each with its outcome. Histories come already decoded (the
 * parent holds the payload codec), as encoded proto bytes; `null` means no more.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { REPLAY_SINKS } from '../telemetry/replaySinks';
import { engineDataConverter } from '../temporal/dataConverter';
import { dropUnlimitedSandboxTimeouts } from './untimedSandboxCalls';
import { stopPromiseStackTracking } from './untrackedPromises';

export interface ReplayJob {
  index: number;
  workflowId: string;
  history: Uint8Array;
}

export interface ReplayThreadOutcome {
  index: number;
  workflowId: string;
  runId: string;
  error: { name: string; message: string } | null;
}

async function run(port: NonNullable<typeof parentPort>, code: string): Promise<void> {
  const waiting: ReplayJob[] = [];
  let closed = false;
  let wake: (() => void) | null = null;
  port.on('message', (job: ReplayJob | null) => {
    if (job === null) closed = true;
    else waiting.push(job);
    wake?.();
  });
  const taken: number[] = [];
  async function* jobs() {
    for (;;) {
      const job = waiting.shift();
      if (job) {
        taken.push(job.index);
        yield { workflowId: job.workflowId, history: temporal.api.history.v1.History.decode(job.history) };
      } else if (closed) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  for await (const result of Worker.runReplayHistories({ workflowBundle: { code }, replayName: 'soar-audit-replay', sinks: REPLAY_SINKS, dataConverter: engineDataConverter() }, jobs())) {
    const outcome: ReplayThreadOutcome = {
      index: taken.shift() ?? -1,
      workflowId: result.workflowId,
      runId: result.runId,
      error: result.error ? { name: result.error.name, message: result.error.message } : null,
    };
    port.postMessage(outcome);
  }
}

dropUnlimitedSandboxTimeouts();

stopPromiseStackTracking();
const { code } = workerData as { code: string };
if (parentPort) void run(parentPort, code);
