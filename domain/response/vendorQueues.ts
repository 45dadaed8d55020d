/**
 * The vendor task queues: every vendor's calls run on a task queue of their own, `<taskQueue>.vendor.<vendor>`, so that
 * Temporal limits each vendor's calls per second across all workers (`maxTaskQueueActivitiesPerSecond`) and shares
 * them fairly between tenants (fairness key = tenant id). Pure: read by workflows and by the worker's composition root.
 */
import { ACTIONS } from './actionCatalog';
import type { ActionActivityName, ResponseActivities } from './actionContract';
import type { ResolvedTarget } from './targets';

export const VENDORS = ['graph', 'defender', 'firewall', 'hibp'] as const;
export type Vendor = (typeof VENDORS)[number];

export function vendorTaskQueue(taskQueue: string, vendor: Vendor): string {
  return `${taskQueue}.vendor.${vendor}`;
}

/** Which vendor a response activity calls: the catalogue's activity names start with the vendor's prefix. */
export function vendorOfActivity(activity: ActionActivityName): Vendor {
  if (activity.startsWith('m365')) return 'graph';
  if (activity.startsWith('defender')) return 'defender';
  if (activity.startsWith('firewall')) return 'firewall';
  throw new Error(`no vendor for activity ${activity}`); // the catalogue test checks every action has one
}

/** A user is looked up in Entra ID (Graph), a host in Defender for Endpoint. */
export function vendorOfLookUp(target: ResolvedTarget): Vendor {
  return target.kind === 'user' ? 'graph' : 'defender';
}

/** The activities each vendor's worker serves: the catalogue's by prefix, the look-up (Graph, Defender), the alert fetch (Graph), the breach check. */
/** An activity a vendor worker serves: a response activity, or the leak check's breach lookup. */
export type VendorActivityName = keyof ResponseActivities | 'checkBreachedDomain';

export function vendorActivityNames(vendor: Vendor): VendorActivityName[] {
  if (vendor === 'hibp') return ['checkBreachedDomain'];
  const own = Object.values(ACTIONS).map((spec) => spec.activity).filter((activity) => vendorOfActivity(activity) === vendor);
  if (vendor === 'graph') return [...own, 'lookUpTarget', 'fetchVendorAlert'];
  return vendor === 'firewall' ? own : [...own, 'lookUpTarget'];
}
