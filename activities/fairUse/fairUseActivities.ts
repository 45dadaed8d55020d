/** The monthly fair-use check's side effects (R15): count a month's incidents, and remember whose notice went out. */
import { ApplicationFailure } from '@temporalio/common';
import { berlinMonthBounds } from '../../domain/calendar/berlinTime';
import { fairUseRows, type FairUseRow, type TenantBaseline } from '../../domain/fairUse';
import type { AlertReadModel } from '../../stores/alertReadModel';
import type { TenantLedger } from '../../stores/tenantLedger';

export interface FairUseDeps {
  ledger: TenantLedger;
}

export function createFairUseActivities(readModel: AlertReadModel, deps: FairUseDeps | undefined) {
  return {
    /**
     * The month's tenants above fair use whose notice to the SOC's management is still to be sent. Recorded first, so
     * a retry or a restarted check finds the same ones until `markFairUseNoticeSent`, and none after it.
     */
    async fairUseNoticesDue({ month, tenants, flaggedAt }: { month: string; tenants: TenantBaseline[]; flaggedAt: string }): Promise<FairUseRow[]> {
      if (!deps) throw ApplicationFailure.nonRetryable('No tenant ledger is configured for the fair-use check', 'FairUseNotConfigured');
      const { from, to } = berlinMonthBounds(month);
      const flagged = fairUseRows(tenants, await readModel.incidentCounts(from.toISOString(), to.toISOString())).filter((row) => row.flagged);
      const due: FairUseRow[] = [];
      for (const row of flagged) {
        if (await deps.ledger.fairUseNoticeDue({ tenantId: row.tenantId, month, incidents: row.incidents, baseline: row.baseline, flaggedAt })) due.push(row);
      }
      return due;
    },

    async markFairUseNoticeSent({ tenantId, month, sentAt }: { tenantId: string; month: string; sentAt: string }): Promise<void> {
      if (!deps) throw ApplicationFailure.nonRetryable('No tenant ledger is configured for the fair-use check', 'FairUseNotConfigured');
      await deps.ledger.markFairUseNoticeSent(tenantId, month, sentAt);
    },
  };
}
