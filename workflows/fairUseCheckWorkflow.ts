/**
 * R15 fair use, started daily by a Temporal Schedule: a tenant above three times its package level in a German
 * calendar month is reported to the SOC's management, once per tenant and month. Looks at the current month and the
 * one before (a month crossed after its last check is still reported on the first of the next). The ledger remembers
 * which notices went out, so retries, restarts and the next days' checks send none twice.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../activities';
import { fairUseMonthsToCheck, type TenantBaseline } from '../domain/fairUse';
import { fairUseNoticeMessage } from '../domain/i18n/socMessages';
import { localWork } from './activityProfiles';
import { mailEach } from './mailEach';

const { fairUseNoticesDue, markFairUseNoticeSent } = proxyActivities<AlertActivities>(localWork);

export interface FairUseCheckInput {
  /** Each tenant's baseline and name; the schedule carries the catalogue's, refreshed at every worker start. */
  tenants: (TenantBaseline & { name: string })[];
  /** E-mail addresses of the SOC's management (config/soc/oncall.yaml `management`). */
  recipients: string[];
  /** The check's "now" (ISO 8601); the workflow's own time when absent. For catch-up runs and tests. */
  now?: string;
}

export interface FairUseNoticeSent {
  tenantId: string;
  month: string;
  incidents: number;
  baseline: number;
  recipients: string[];
}

export interface FairUseCheckReport {
  now: string;
  months: string[];
  notified: FairUseNoticeSent[];
  /** Tenants above fair use whose notice could not go out (no management address configured): due again next run. */
  unsent: { tenantId: string; month: string; reason: string }[];
}

export async function fairUseCheckWorkflow(input: FairUseCheckInput): Promise<FairUseCheckReport> {
  // Workflow time (recorded in history), so a replay looks at the same months.
  const now = input.now ?? new Date(Date.now()).toISOString();
  const months = fairUseMonthsToCheck(new Date(now));
  const report: FairUseCheckReport = { now, months, notified: [], unsent: [] };
  const names = new Map(input.tenants.map((t) => [t.tenantId, t.name]));
  const baselines = input.tenants.map(({ tenantId, baseline }) => ({ tenantId, baseline }));
  for (const month of months) {
    for (const row of await fairUseNoticesDue({ month, tenants: baselines, flaggedAt: now })) {
      if (input.recipients.length === 0) {
        report.unsent.push({ tenantId: row.tenantId, month, reason: 'config/soc/oncall.yaml names no management e-mail address (management)' });
        continue;
      }
      const letter = fairUseNoticeMessage('de', { tenantId: row.tenantId, name: names.get(row.tenantId) ?? row.tenantId, month, incidents: row.incidents, baseline: row.baseline });
      // One key per tenant, month and address: a repeat is recognisable as the same notice.
      await mailEach(input.recipients, letter, { tenantId: row.tenantId, idempotencyKey: (to) => `fair-use.${row.tenantId}.${month}.${to}` });
      await markFairUseNoticeSent({ tenantId: row.tenantId, month, sentAt: new Date(Date.now()).toISOString() });
      report.notified.push({ tenantId: row.tenantId, month, incidents: row.incidents, baseline: row.baseline, recipients: [...input.recipients] });
    }
  }
  return report;
}
