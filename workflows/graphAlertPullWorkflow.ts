/**
 * One run of a tenant's Microsoft 365 alert pull (R3), started by its Temporal Schedule: the activity pulls what is new
 * since the watermark and starts an alert workflow per alert; the result (counts, refused alerts with reasons) stays
 * in this run's history for the SOC and the auditors.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../activities';
import type { GraphAlertPullInput, GraphAlertPullReport } from '../activities/intake/graphIntakeActivities';
import { vendorPull } from './activityProfiles';

const { pullGraphAlerts } = proxyActivities<AlertActivities>(vendorPull);

export type { GraphAlertPullInput, GraphAlertPullReport };

export async function graphAlertPullWorkflow(input: GraphAlertPullInput): Promise<GraphAlertPullReport> {
  return pullGraphAlerts(input);
}
