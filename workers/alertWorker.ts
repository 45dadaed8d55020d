/** Creates the worker that runs alert workflows and their activities on one task queue. */
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import type { AlertActivities } from '../activities';
import { createTracing, type Tracing } from '../infra/telemetry/tracing';
import { tracingWorkerOptions } from '../infra/telemetry/temporalTracing';
import { engineBundlerOptions } from '../infra/temporal/workflowBundle';

export interface AlertWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: AlertActivities;
  /** Encrypts every workflow and activity payload (infra/crypto/tenantPayloadCodec.ts); the same codec as the clients'. */
  payloadCodec: PayloadCodec;
  /** A prebuilt bundle (tests bundle once); otherwise the workflows are bundled from source. */
  workflowBundle?: WorkflowBundleOption;
  /** The process's tracer (infra/telemetry); absent: spans are made but go nowhere. */
  tracing?: Tracing;
  /** How many workflows the worker keeps in memory (about 0.3-0.4 MiB each untraced, docs/performance.md); unset: the SDK default (from the heap limit). */
  maxCachedWorkflows?: number;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export function createAlertWorker(options: AlertWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, activities, workflowBundle, payloadCodec, maxCachedWorkflows } = options;
  const tracing = options.tracing ?? createTracing('soar-worker', { otlpTracesUrl: null });
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities,
    dataConverter: { payloadCodecs: [payloadCodec] },
    ...tracingWorkerOptions(tracing, workflowBundle !== undefined),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: engineBundlerOptions() }),
    ...(maxCachedWorkflows !== undefined ? { maxCachedWorkflows } : {}),
  });
}
