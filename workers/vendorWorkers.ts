/**
 * Creates the workers of the vendor task queues (one per vendor, in the same process as the alert worker): each serves
 * only its vendor's activities and asks Temporal to dispatch at most the configured calls per minute on its queue, a
 * limit the server enforces across every worker polling that queue.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import { VENDORS, vendorActivityNames, vendorTaskQueue, type Vendor } from '../domain/response/vendorQueues';
import type { Tracing } from '../infra/telemetry/tracing';
import { tracingWorkerOptions } from '../infra/telemetry/temporalTracing';

/** Calls per minute each vendor accepts from the whole engine (infra/config.ts). */
export type VendorCallLimits = Readonly<Record<Vendor, number>>;

export interface VendorWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** The alert task queue; the vendor queues are named after it. */
  taskQueue: string;
  /** The process's activities; each vendor worker registers its vendor's share. */
  activities: object;
  payloadCodec: PayloadCodec;
  callsPerMinute: VendorCallLimits;
  tracing?: Tracing;
}

export function createVendorWorkers(options: VendorWorkerOptions): Promise<Worker[]> {
  const { connection, namespace, taskQueue, activities, payloadCodec, callsPerMinute, tracing } = options;
  const served = VENDORS.map((vendor) => ({ vendor, own: vendorActivityNames(vendor).filter((name) => typeof Reflect.get(activities, name) === 'function') }));
  return Promise.all(
    served
      .filter(({ own }) => own.length > 0)
      .map(({ vendor, own }) =>
        Worker.create({
          connection,
          namespace,
          taskQueue: vendorTaskQueue(taskQueue, vendor),
          activities: Object.fromEntries(own.map((name) => [name, Reflect.get(activities, name)])),
          maxTaskQueueActivitiesPerSecond: callsPerMinute[vendor] / 60,
          dataConverter: { payloadCodecs: [payloadCodec] },
          ...(tracing ? tracingWorkerOptions(tracing, true) : {}),
        }),
      ),
  );
}

/** Runs workers of one process together: when one stops (or fails), the others are shut down; rejects with the first failure. */
export async function runTogether(workers: readonly Worker[]): Promise<void> {
  const stopAll = () => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  const results = await Promise.allSettled(workers.map((worker) => worker.run().finally(stopAll)));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
