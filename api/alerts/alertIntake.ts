/** Accepts normalised alerts: checks tenant, key and source (R1), then starts one workflow per business key. */
import type { NormalisedAlert } from '../../domain/alert';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import type { Tenant, TenantSource } from '../../domain/tenant/tenantSchema';
import { AlertStarter, type AlertStarterDeps } from '../../ingest/alertStarter';
import { may, type Principal } from '../../domain/access/roles';
import { isEngineUnreachable } from '../../infra/temporal/engineUnreachable';
import { EngineUnavailableError, ForbiddenError, UnknownTenantError, UnregisteredSourceError } from '../../domain/refusals';
import { requireTenantInScope } from '../../domain/access/tenantScope';

export interface AcceptedAlert {
  alertId: string;
  workflowId: string;
  duplicate: boolean;
}

interface CheckedAlert {
  alert: NormalisedAlert;
  tenant: Tenant;
  source: TenantSource;
}

export interface AlertIntakeDeps extends AlertStarterDeps {
  tenants: TenantCatalog;
  /** Told of each alert that started a workflow (not duplicates): the intake figures of GET /metrics. */
  onAccepted?: (alert: NormalisedAlert) => void;
}

export class AlertIntake {
  private readonly starter: AlertStarter;

  constructor(private readonly deps: AlertIntakeDeps) {
    this.starter = new AlertStarter(deps);
  }

  /** The tenant the principal may ingest for: another tenant is absent to a bound key (R17, 404), an unknown one refused (R1). */
  tenantFor(principal: Principal, tenantId: string, field = 'tenantId'): Tenant {
    requireTenantInScope(principal, tenantId);
    if (!may(principal, 'ingestAlerts')) throw new ForbiddenError(`Role '${principal.role}' may not submit alerts`);
    const tenant = this.deps.tenants.get(tenantId);
    if (!tenant) throw new UnknownTenantError(tenantId, field);
    return tenant;
  }

  /** Checks every alert first, so that a refused batch starts nothing; returns each alert's tenant and source. */
  private check(principal: Principal, alerts: readonly NormalisedAlert[], fieldOf: (index: number, field: string) => string): CheckedAlert[] {
    return alerts.map((alert, index) => {
      const tenant = this.tenantFor(principal, alert.tenantId, fieldOf(index, 'tenantId'));
      const source = tenant.sources.find((s) => s.id === alert.source);
      if (!source) throw new UnregisteredSourceError(tenant.id, alert.source, fieldOf(index, 'source'));
      return { alert, tenant, source };
    });
  }

  /**
   * Starts the workflows in order. If the engine becomes unreachable part-way, the error lists what was
   * accepted: re-sending the whole batch is safe, accepted ones come back as duplicates.
   */
  async submit(principal: Principal, alerts: readonly NormalisedAlert[], fieldOf: (index: number, field: string) => string): Promise<AcceptedAlert[]> {
    const checked = this.check(principal, alerts, fieldOf);
    const accepted: AcceptedAlert[] = [];
    for (const one of checked) {
      try {
        accepted.push(await this.start(one));
      } catch (error) {
        if (isEngineUnreachable(error)) {
          throw new EngineUnavailableError('The workflow service is unavailable; retry later (re-sending is safe)', accepted);
        }
        throw error;
      }
    }
    return accepted;
  }

  private async start({ alert, tenant, source }: CheckedAlert): Promise<AcceptedAlert> {
    const { alertId, duplicate } = await this.starter.start(alert, tenant, source);
    if (!duplicate) this.deps.onAccepted?.(alert);
    return { alertId, workflowId: alertId, duplicate };
  }
}
