/**
 * The daily R14 purge, started by a Temporal Schedule: per tenant, whatever is older than its agreed retention goes
 * (closed alert workflows with their playbook runs, read-model rows, file lines). Safe to re-run: a second run finds
 * nothing more to delete.
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../activities';
import type { PurgedEventData, PurgedWorkflows } from '../activities/retention/retentionActivities';
import { retentionCutoff, type TenantRetention } from '../domain/retention';
import { housekeeping } from './activityProfiles';

const { expireOpenAlerts, purgeClosedAlertWorkflows, purgeTenantEventData } = proxyActivities<AlertActivities>(housekeeping);
/** Patch: open alerts past the retention are closed as expired before the purge (R14 "maximal 90 Tage"). */
const EXPIRE_OPEN_ALERTS = 'expire-open-alerts';

export interface RetentionPurgeInput {
  /** Each tenant's agreed retention; the schedule carries the catalogue's, refreshed at every worker start. */
  tenants: TenantRetention[];
  /** The purge's "now" (ISO 8601); the workflow's own time when absent. For catch-up runs and tests. */
  now?: string;
}

export interface TenantPurge extends TenantRetention, PurgedWorkflows, PurgedEventData {
  /** Open alerts past the retention closed as expired by this purge (R14). */
  expiredAlerts: number;
  /** Data dated before this instant was past the retention. */
  cutoff: string;
}

export interface RetentionPurgeReport {
  now: string;
  tenants: TenantPurge[];
}

export async function retentionPurgeWorkflow(input: RetentionPurgeInput): Promise<RetentionPurgeReport> {
  // Workflow time (recorded in history), so a replay computes the same cut-offs.
  const now = input.now ?? new Date(Date.now()).toISOString();
  const tenants: TenantPurge[] = [];
  for (const tenant of input.tenants) tenants.push(await purgeTenant(tenant, now));
  return { now, tenants };
}

async function purgeTenant(tenant: TenantRetention, now: string): Promise<TenantPurge> {
  const cutoff = retentionCutoff(new Date(now), tenant.retentionDays);
  const expired = patched(EXPIRE_OPEN_ALERTS)
    ? (await expireOpenAlerts({ tenantId: tenant.tenantId, receivedBefore: cutoff, retentionDays: tenant.retentionDays })).expiredAlerts
    : [];
  const workflows = await purgeClosedAlertWorkflows({ tenantId: tenant.tenantId, receivedBefore: cutoff, expired });
  const eventData = await purgeTenantEventData({ tenantId: tenant.tenantId, receivedBefore: cutoff, expired });
  return { ...tenant, cutoff, expiredAlerts: expired.length, ...workflows, ...eventData };
}
