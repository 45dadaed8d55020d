/** Runs the engine's workers on one connection: the alert worker and one worker per vendor task queue. */
import type { NativeConnection, Worker, WorkflowBundleOption } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import type { AlertActivities } from '../activities';
import type { Tracing } from '../infra/telemetry/tracing';
import type { WorkflowThreadOptions } from '../infra/temporal/workflowThreads';
import { createAlertWorker } from './alertWorker';
import { createVendorWorkers, runTogether, type TenantCallLimits, type VendorCallLimits } from './vendorWorkers';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when every worker has stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerSettings {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: AlertActivities;
  payloadCodec: PayloadCodec;
  tracing: Tracing;
  /** A prebuilt bundle (tests bundle once); otherwise the workflows are bundled from source. */
  workflowBundle?: WorkflowBundleOption | undefined;
  maxCachedWorkflows?: number | undefined;
  /** The alert worker's workflow threads (stack traces, heap limit); absent: no stack traces, heap from the cache size. */
  threads?: WorkflowThreadOptions | undefined;
  /** Worker Versioning: the alert worker's deployment version; null or absent: unversioned. */
  deployment?: { deploymentName: string; buildId: string } | null;
  callsPerMinute: VendorCallLimits;
  tenantCallsPerMinute?: TenantCallLimits | undefined;
}

export async function startWorkers(settings: WorkerSettings): Promise<RunningWorker> {
  const { connection, namespace, taskQueue, activities, payloadCodec, tracing } = settings;
  const worker = await createAlertWorker({
    connection,
    namespace,
    taskQueue,
    activities,
    payloadCodec,
    tracing,
    ...(settings.workflowBundle ? { workflowBundle: settings.workflowBundle } : {}),
    ...(settings.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: settings.maxCachedWorkflows } : {}),
    ...(settings.threads ? { threads: settings.threads } : {}),
    ...(settings.deployment ? { deployment: settings.deployment } : {}),
  });
  // Vendor calls run on their vendors' task queues, rate-limited by Temporal (docs/operations.md).
  const vendorWorkers = await createVendorWorkers({
    connection,
    namespace,
    taskQueue,
    activities,
    payloadCodec,
    callsPerMinute: settings.callsPerMinute,
    ...(settings.tenantCallsPerMinute ? { tenantCallsPerMinute: settings.tenantCallsPerMinute } : {}),
    tracing,
  });
  const done = runTogether([worker, ...vendorWorkers]);
  return {
    worker,
    done,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
