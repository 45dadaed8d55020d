/**
 * R15 fair use as pure functions: a tenant's incidents in a German calendar month against three times its baseline
 * ("mehr als das Dreifache des Paketniveaus"), and the months a daily check looks at.
 */
import { berlinLocalToUtc, berlinMonthOf, toBerlinLocal } from './calendar/berlinTime';

/** Usage above this multiple of the baseline is flagged (R15: "for example more than three times"). */
export const FAIR_USE_FACTOR = 3;

export interface TenantBaseline {
  tenantId: string;
  /** Incidents per month the package level expects (the tenant file's fairUse.monthlyIncidentBaseline). */
  baseline: number;
}

export interface FairUseRow {
  tenantId: string;
  incidents: number;
  baseline: number;
  ratio: number;
  flagged: boolean;
}

/** Each tenant's row for one month's incident counts. */
export function fairUseRows(tenants: readonly TenantBaseline[], counts: ReadonlyMap<string, number>): FairUseRow[] {
  return tenants.map(({ tenantId, baseline }) => {
    const incidents = counts.get(tenantId) ?? 0;
    return { tenantId, incidents, baseline, ratio: Math.round((incidents / baseline) * 100) / 100, flagged: incidents > FAIR_USE_FACTOR * baseline };
  });
}

/**
 * The months a check at `at` looks at: the current German calendar month, and the one before it, so that a month
 * crossed after the last check of that month is still noticed on the first day of the next.
 */
export function fairUseMonthsToCheck(at: Date): [previous: string, current: string] {
  const { year, month } = toBerlinLocal(at.getTime());
  const previousStart = month === 1 ? berlinLocalToUtc(year - 1, 12, 1, 12) : berlinLocalToUtc(year, month - 1, 1, 12);
  return [berlinMonthOf(new Date(previousStart)), berlinMonthOf(at)];
}
