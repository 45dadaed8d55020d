/**
 * Creates the workers of the vendor task queues (one per vendor, in the same process as the alert worker): each serves
 * only its vendor's activities and asks Temporal to dispatch at most the configured calls per minute on its queue, a
 * limit the server enforces across every worker polling that queue. Optionally each tenant (the fairness key) gets a hard
 * limit of its own on top of its fair share, also enforced by the server.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import { VENDORS, vendorActivityNames, vendorTaskQueue, type Vendor, type VendorActivityName } from '../domain/response/vendorQueues';
import type { Tracing } from '../infra/telemetry/tracing';
import { tracingWorkerOptions } from '../infra/telemetry/temporalTracing';
import { engineDataConverter } from '../infra/temporal/dataConverter';
import { applyFairnessKeyRateLimit } from '../infra/temporal/fairnessKeyRateLimit';

/** Calls per minute each vendor accepts from the whole engine (infra/config.ts). */
export type VendorCallLimits = Readonly<Record<Vendor, number>>;

/** Calls per minute one tenant may make to each vendor, whatever the others do; null or absent: no such limit. */
export type TenantCallLimits = Readonly<Partial<Record<Vendor, number | null>>>;

export interface VendorWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** The alert task queue; the vendor queues are named after it. */
  taskQueue: string;
  /** The process's activities; each vendor worker registers its vendor's share (those of them this process has). */
  activities: Readonly<Partial<Record<VendorActivityName, (...args: never[]) => Promise<unknown>>>>;
  payloadCodec: PayloadCodec;
  callsPerMinute: VendorCallLimits;
  /** A hard limit per tenant (fairness key) besides the fair share; set on the server's task queue config. */
  tenantCallsPerMinute?: TenantCallLimits;
  tracing?: Tracing;
}

export function createVendorWorkers(options: VendorWorkerOptions): Promise<Worker[]> {
  const { connection, namespace, taskQueue, activities, payloadCodec, callsPerMinute, tenantCallsPerMinute = {}, tracing } = options;
  const served = VENDORS.map((vendor) => ({ vendor, own: vendorActivityNames(vendor).filter((name) => typeof activities[name] === 'function') }));
  return Promise.all(
    served
      .filter(({ own }) => own.length > 0)
      .map(async ({ vendor, own }) => {
        const queue = vendorTaskQueue(taskQueue, vendor);
        const perTenant = tenantCallsPerMinute[vendor] ?? null;
        await applyFairnessKeyRateLimit({
          connection,
          namespace,
          taskQueue: queue,
          perSecond: perTenant === null ? null : perTenant / 60,
          reason: `${perTenant} ${vendor} calls per minute per tenant`,
        });
        return Worker.create({
          connection,
          namespace,
          taskQueue: queue,
          activities: Object.fromEntries(own.map((name) => [name, activities[name]])),
          maxTaskQueueActivitiesPerSecond: callsPerMinute[vendor] / 60,
          dataConverter: engineDataConverter(payloadCodec),
          ...(tracing ? tracingWorkerOptions(tracing, true) : {}),
        });
      }),
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
