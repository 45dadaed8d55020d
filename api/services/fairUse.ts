/** Fair use (R15): handled incidents per tenant and month against three times the package baseline. */
import { berlinMonthBounds } from '../../domain/calendar/berlinTime';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import type { AlertReadModel } from '../../stores/alertReadModel';
import { may, type Principal } from '../../domain/access/roles';
import { ForbiddenError } from '../../domain/refusals';

/** Usage above this multiple of the baseline is flagged (R15: "for example more than three times"). */
export const FAIR_USE_FACTOR = 3;

export interface FairUseRow {
  tenantId: string;
  incidents: number;
  baseline: number;
  ratio: number;
  flagged: boolean;
}

export class FairUse {
  constructor(private readonly deps: { readModel: AlertReadModel; tenants: TenantCatalog }) {}

  /** Every tenant's count for the month (German calendar month), flagged ones first. */
  async report(principal: Principal, month: string): Promise<{ month: string; factor: number; items: FairUseRow[] }> {
    if (!may(principal, 'readFairUse')) throw new ForbiddenError(`Role '${principal.role}' may not read fair-use figures`);
    const { from, to } = berlinMonthBounds(month);
    const counts = await this.deps.readModel.incidentCounts(from.toISOString(), to.toISOString());
    const items = this.deps.tenants.all().map((tenant) => {
      const incidents = counts.get(tenant.id) ?? 0;
      const baseline = tenant.fairUse.monthlyIncidentBaseline;
      return { tenantId: tenant.id, incidents, baseline, ratio: Math.round((incidents / baseline) * 100) / 100, flagged: incidents > FAIR_USE_FACTOR * baseline };
    });
    items.sort((a, b) => Number(b.flagged) - Number(a.flagged) || b.ratio - a.ratio || a.tenantId.localeCompare(b.tenantId));
    return { month, factor: FAIR_USE_FACTOR, items };
  }
}
