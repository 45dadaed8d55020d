/** Counts failed vendor calls on the worker's Temporal metrics (exported with the SDK's own, SOAR_WORKER_METRICS_PORT). */
import { Context } from '@temporalio/activity';

export type VendorErrorKind = 'throttled' | 'unavailable' | 'refused' | 'not_found';

export function vendorErrorKind(status: number): VendorErrorKind {
  if (status === 429) return 'throttled';
  if (status === 408 || status >= 500) return 'unavailable';
  return status === 404 ? 'not_found' : 'refused';
}

/** Outside an activity (unit tests of the adapters) there is no meter and nothing is counted. */
export function countVendorError(vendor: string, kind: VendorErrorKind): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.metricMeter
    .createCounter('soar_vendor_call_errors', 'calls', 'Vendor calls that failed, by vendor and kind (throttled: 429)')
    .add(1, { vendor, kind });
}
