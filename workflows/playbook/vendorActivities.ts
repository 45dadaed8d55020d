/**
 * The response activity behind a catalogue action, with the option profile its kind of vendor call needs, scheduled on
 * its vendor's task queue (rate-limited there by Temporal) with the tenant as fairness key (docs/operations.md).
 */
import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { ActionSpec } from '../../domain/response/actionCatalog';
import type { ResponseActivities, TargetFacts, VendorActivity, VendorAlertFacts } from '../../domain/response/actionContract';
import type { ResolvedTarget } from '../../domain/response/targets';
import { vendorOfActivity, vendorOfLookUp, vendorTaskQueue, type Vendor } from '../../domain/response/vendorQueues';
import { vendorJob, vendorRequest } from '../activityProfiles';


/**
 * Options for a call to `vendor` on behalf of `tenantId`. No patch needed: replay compares an activity's id and type,
 * not its task queue or priority, so histories recorded before the vendor queues replay unchanged (test/audit goldens).
 */
export function vendorCallOptions(profile: ActivityOptions, vendor: Vendor, tenantId: string): ActivityOptions {
  return { ...profile, taskQueue: vendorTaskQueue(workflowInfo().taskQueue, vendor), priority: { fairnessKey: tenantId } };
}

export function lookUpTarget(input: { tenantId: string; target: ResolvedTarget }): Promise<TargetFacts> {
  return proxyActivities<ResponseActivities>(vendorCallOptions(vendorRequest, vendorOfLookUp(input.target), input.tenantId)).lookUpTarget(input);
}

/** R11: the alert as Graph holds it (null: Graph knows no such alert). */
export function fetchVendorAlert(input: { tenantId: string; externalId: string }): Promise<VendorAlertFacts | null> {
  return proxyActivities<ResponseActivities>(vendorCallOptions(vendorRequest, 'graph', input.tenantId)).fetchVendorAlert(input);
}

/** Defender machine actions are followed to their end (heartbeating); everything else is one request. */
export function vendorActivity(spec: ActionSpec): VendorActivity {
  return (request) => {
    const options = vendorCallOptions(spec.followsVendorJob ? vendorJob : vendorRequest, vendorOfActivity(spec.activity), request.tenantId);
    return proxyActivities<ResponseActivities>(options)[spec.activity](request);
  };
}
