/** Fair use (R15): handled incidents per tenant and month against three times the package baseline. */
import { berlinMonthBounds } from '../../domain/calendar/berlinTime';
import { FAIR_USE_FACTOR, fairUseRows, type FairUseRow } from '../../domain/fairUse';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import type { AlertReadModel } from '../../stores/alertReadModel';
import { may, type Principal } from '../../domain/access/roles';
import { ForbiddenError } from '../../domain/refusals';

export class FairUse {
  constructor(private readonly deps: { readModel: AlertReadModel; tenants: TenantCatalog }) {}

  /** Every tenant's count for the month (German calendar month), flagged ones first. */
  async report(principal: Principal, month: string): Promise<{ month: string; factor: number; items: FairUseRow[] }> {
    if (!may(principal, 'readFairUse')) throw new ForbiddenError(`Role '${principal.role}' may not read fair-use figures`);
    const { from, to } = berlinMonthBounds(month);
    const counts = await this.deps.readModel.incidentCounts(from.toISOString(), to.toISOString());
    const items = fairUseRows(
      this.deps.tenants.all().map((tenant) => ({ tenantId: tenant.id, baseline: tenant.fairUse.monthlyIncidentBaseline })),
      counts,
    );
    items.sort((a, b) => Number(b.flagged) - Number(a.flagged) || b.ratio - a.ratio || a.tenantId.localeCompare(b.tenantId));
    return { month, factor: FAIR_USE_FACTOR, items };
  }
}
