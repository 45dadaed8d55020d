/** `/v1/alerts/defender`: Microsoft Graph security alerts exactly as Graph returns them, mapped onto the normalised alert. */
import { normalisedAlertSchema } from '../../domain/alert';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import { parseDefenderPayload, type GraphAlert } from '../../ingest/defender/parseDefenderPayload';
import { mapDefenderAlert } from '../../ingest/defender/mapDefenderAlert';
import { graphAlertSourceOf, notConnectedMessage } from '../../ingest/defender/graphAlertSource';
import { principalOf } from '../auth/authenticate';
import type { Router } from 'express';
import { scopedRouter } from '../auth/tenantScopeGuard';
import type { Principal } from '../../domain/access/roles';
import { defenderQuerySchema } from './alertSchemas';
import { requireJson } from '../http/requireJson';
import { parseOrRefuse } from '../http/validate';
import type { AlertIntake } from './alertIntake';
import { InvalidInputError, UnknownTenantError, UnregisteredSourceError } from '../../domain/refusals';
import { statusUrlOf } from './alertRoutes';

export function defenderRoutes(deps: { intake: AlertIntake; tenants: TenantCatalog }): Router {
  const router = scopedRouter();

  /** R1: the alert's Azure tenant must be the Microsoft 365 tenant connected for this tenant. */
  const resolveTarget = (principal: Principal, requestedTenant: string | undefined, alert: GraphAlert, field: (name: string) => string) => {
    const tenantId = principal.tenantId ?? requestedTenant ?? deps.tenants.findByAzureTenantId(alert.tenantId)?.id;
    if (!tenantId) throw new UnknownTenantError(alert.tenantId, field('tenantId'));
    const tenant = deps.intake.tenantFor(principal, tenantId, requestedTenant ? 'tenantId' : field('tenantId'));
    const source = graphAlertSourceOf(tenant, alert);
    if (!source) throw new UnregisteredSourceError(tenant.id, 'microsoft365', field('tenantId'), notConnectedMessage(tenant, alert));
    return { tenantId: tenant.id, source: source.id };
  };

  router.post('/v1/alerts/defender', requireJson, async (request, response) => {
    const query = parseOrRefuse(defenderQuerySchema, request.query);
    const parsed = parseDefenderPayload(request.body);
    if (!parsed.ok) throw new InvalidInputError(parsed.issues.map((issue) => ({ field: issue.path, message: issue.message })));
    const principal = principalOf(response);
    const isList = typeof request.body === 'object' && request.body !== null && 'value' in request.body;
    const fieldOf = (index: number, name: string) => (isList ? `value[${index}].${name}` : name);
    const alerts = parsed.alerts.map((alert, index) => {
      const target = resolveTarget(principal, query.tenantId, alert, (name) => fieldOf(index, name));
      return parseOrRefuse(normalisedAlertSchema, mapDefenderAlert(alert, target), isList ? ['value', index] : []);
    });
    const accepted = (await deps.intake.submit(principal, alerts, fieldOf)).map(statusUrlOf);
    response.status(202).json(isList ? { alerts: accepted } : accepted[0]);
  });

  return router;
}
