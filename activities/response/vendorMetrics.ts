/** Counts vendor calls and their failures on the worker's Temporal metrics (exported with the SDK's own, SOAR_WORKER_METRICS_PORT). */
import { activityMeter } from '../metrics';

export type VendorCallOutcome = 'ok' | 'error' | 'throttled';
export type VendorErrorKind = 'throttled' | 'unavailable' | 'refused' | 'not_found';

export function vendorErrorKind(status: number): VendorErrorKind {
  if (status === 429) return 'throttled';
  if (status === 408 || status >= 500) return 'unavailable';
  return status === 404 ? 'not_found' : 'refused';
}

export function countVendorError(vendor: string, kind: VendorErrorKind): void {
  activityMeter()?.createCounter('soar_vendor_call_errors', 'calls', 'Vendor calls that failed, by vendor and kind (throttled: 429)').add(1, { vendor, kind });
}

export function countVendorCall(vendor: string, outcome: VendorCallOutcome): void {
  activityMeter()?.createCounter('soar_vendor_calls_total', 'calls', 'Vendor HTTP calls, by vendor and outcome (ok, error, throttled: 429)').add(1, { vendor, outcome });
}

