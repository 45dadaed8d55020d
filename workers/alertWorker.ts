/** Creates the worker that runs alert workflows and their activities on one task queue. */
import type { NativeConnection, Worker, WorkflowBundleOption } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import type { AlertActivities } from '../activities';
import { createTracing, type Tracing } from '../infra/telemetry/tracing';
import { tracingWorkerOptions } from '../infra/telemetry/temporalTracing';
import { engineDataConverter } from '../infra/temporal/dataConverter';
import { DEFAULT_WORKFLOW_THREADS, workerWithThreads, type WorkflowThreadOptions } from '../infra/temporal/workflowThreads';
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
  /** How many workflows the worker keeps in memory (about 0.3-0.4 MiB each untraced, docs/performance.md); unset: the SDK default (from the heap limit). */
  maxCachedWorkflows?: number;
  /** How the workflow threads start (infra/temporal/workflowThreads.ts); absent: no stack per promise, heap from the cache size. */
  threads?: WorkflowThreadOptions;
  /**
   * Worker Versioning: this build's deployment version. Each workflow is pinned to the build it started on, so an alert
   * that waits for days finishes on the code it began with while new alerts start on the current build (docs/audit.md).
   */
  deployment?: { deploymentName: string; buildId: string } | null;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export function createAlertWorker(options: AlertWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, activities, workflowBundle, payloadCodec, maxCachedWorkflows, deployment } = options;
  const tracing = options.tracing ?? createTracing('soar-worker', { otlpTracesUrl: null });
  const traced = tracingWorkerOptions(tracing, workflowBundle !== undefined);
  return workerWithThreads(options.threads ?? DEFAULT_WORKFLOW_THREADS).create({
    connection,
    namespace,
    taskQueue,
    activities,
    dataConverter: engineDataConverter(payloadCodec),
    ...(workflowBundle ? { ...traced, workflowBundle } : { ...traced, interceptors: { ...traced.interceptors, workflowModules: ENGINE_WORKFLOW_INTERCEPTOR_MODULES }, workflowsPath: WORKFLOWS_PATH, bundlerOptions: engineBundlerOptions() }),
    ...(maxCachedWorkflows !== undefined ? { maxCachedWorkflows } : {}),
    ...(deployment ? { workerDeploymentOptions: { version: deployment, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' as const } } : {}),
  });
}
