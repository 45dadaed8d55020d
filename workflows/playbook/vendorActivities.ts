/** The response activity behind a catalogue action, with the option profile its kind of vendor call needs. */
import { proxyActivities } from '@temporalio/workflow';
import type { ActionSpec } from '../../domain/response/actionCatalog';
import type { ActionRequest, ActionResult, TargetFacts } from '../../domain/response/actionContract';
import type { ResolvedTarget } from '../../domain/response/targets';
import { vendorJob, vendorRequest } from '../activityProfiles';

type VendorActivity = (request: ActionRequest) => Promise<ActionResult>;

const requests = proxyActivities<Record<string, VendorActivity>>(vendorRequest);
const jobs = proxyActivities<Record<string, VendorActivity>>(vendorJob);

export const { lookUpTarget } = proxyActivities<{ lookUpTarget(input: { tenantId: string; target: ResolvedTarget }): Promise<TargetFacts> }>(vendorRequest);

/** Defender machine actions are followed to their end (heartbeating); everything else is one request. */
export function vendorActivity(spec: ActionSpec): VendorActivity {
  const call = (spec.followsVendorJob ? jobs : requests)[spec.activity];
  if (!call) throw new Error(`no activity ${spec.activity}`); // the catalogue and the activities are checked against each other in tests
  return call;
}
