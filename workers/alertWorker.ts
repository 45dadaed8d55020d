/** Creates the worker that runs alert workflows and their activities on one task queue. */
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import type { AlertActivities } from '../activities';
import { createTracing, type Tracing } from '../infra/telemetry/tracing';
import { tracingWorkerOptions } from '../infra/telemetry/temporalTracing';
import { engineDataConverter } from '../infra/temporal/dataConverter';
import { ENGINE_WORKFLOW_INTERCEPTOR_MODULES, engineBundlerOptions } from '../infra/temporal/workflowBundle';

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
  /** How many workflows the worker keeps in memory (about 1.7-1.9 MiB each, docs/performance.md); unset: the SDK default (from the heap limit). */
  maxCachedWorkflows?: number;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export function createAlertWorker(options: AlertWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, activities, workflowBundle, payloadCodec, maxCachedWorkflows } = options;
  const tracing = options.tracing ?? createTracing('soar-worker', { otlpTracesUrl: null });
  const traced = tracingWorkerOptions(tracing, workflowBundle !== undefined);
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities,
    dataConverter: engineDataConverter(payloadCodec),
    ...(workflowBundle ? { ...traced, workflowBundle } : { ...traced, interceptors: { ...traced.interceptors, workflowModules: ENGINE_WORKFLOW_INTERCEPTOR_MODULES }, workflowsPath: WORKFLOWS_PATH, bundlerOptions: engineBundlerOptions() }),
    ...(maxCachedWorkflows !== undefined ? { maxCachedWorkflows } : {}),
  });
}
