/** `/v1/tenants/{id}/package-changes` (R16), `/v1/fair-use` (R15), `/v1/tenants/{id}/leak-findings` (R4). */
import { principalOf } from '../auth/authenticate';
import type { Router } from 'express';
import { scopedRouter } from '../auth/tenantScopeGuard';
import { may } from '../../domain/access/roles';
import { requireJson } from '../http/requireJson';
import {
  alertReportQuerySchema,
  fairUseQuerySchema,
  optionChangeRequestSchema,
  packageChangeRequestSchema,
  tenantParamsSchema,
  weeklyReviewQuerySchema,
} from './tenantAccountSchemas';
import { parseOrRefuse } from '../http/validate';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import type { TenantLedger } from '../../stores/tenantLedger';
import { ForbiddenError } from '../../domain/refusals';
import { noTenant } from '../../domain/access/tenantScope';
import type { FairUse } from './fairUse';
import type { OptionChanges } from './optionChanges';
import type { PackageChanges } from './packageChanges';
import { alertReportCsv, type TenantReports } from './tenantReports';

export interface TenantAccountDeps {
  packageChanges: PackageChanges;
  /** R11 options booked or cancelled with an effective date (R16); absent: the endpoint answers 404. */
  optionChanges?: OptionChanges;
  fairUse: FairUse;
  ledger: TenantLedger;
  reports: TenantReports;
  tenants: TenantCatalog;
}

export function tenantAccountRoutes(deps: TenantAccountDeps): Router {
  const router = scopedRouter();
  router.post('/v1/tenants/:tenantId/package-changes', requireJson, async (request, response) => {
    const { tenantId } = parseOrRefuse(tenantParamsSchema, request.params);
    const body = parseOrRefuse(packageChangeRequestSchema, request.body);
    response.status(201).json(await deps.packageChanges.request(principalOf(response), tenantId, body));
  });
  router.get('/v1/tenants/:tenantId/package-changes', async (request, response) => {
    const { tenantId } = parseOrRefuse(tenantParamsSchema, request.params);
    response.json(await deps.packageChanges.list(principalOf(response), tenantId));
  });
  if (deps.optionChanges) {
    const options = deps.optionChanges;
    router.post('/v1/tenants/:tenantId/option-changes', requireJson, async (request, response) => {
      const { tenantId } = parseOrRefuse(tenantParamsSchema, request.params);
      const body = parseOrRefuse(optionChangeRequestSchema, request.body);
      response.status(201).json({ items: await options.request(principalOf(response), tenantId, body) });
    });
    router.get('/v1/tenants/:tenantId/option-changes', async (request, response) => {
      const { tenantId } = parseOrRefuse(tenantParamsSchema, request.params);
      response.json(await options.list(principalOf(response), tenantId));
    });
  }
  router.get('/v1/fair-use', async (request, response) => {
    const { month } = parseOrRefuse(fairUseQuerySchema, request.query);
    response.json(await deps.fairUse.report(principalOf(response), month));
  });
  router.get('/v1/tenants/:tenantId/leak-findings', async (request, response) => {
    const { tenantId } = parseOrRefuse(tenantParamsSchema, request.params);
    const principal = principalOf(response);
    // Another tenant's findings are absent: the router's tenant-scope guard (R17) answered 404 before this.
    if (!may(principal, 'readLeakFindings')) throw new ForbiddenError(`Role '${principal.role}' may not read leak findings`);
    if (!deps.tenants.get(tenantId)) throw noTenant(tenantId);
    response.json({ items: await deps.ledger.leakFindings(tenantId) });
  });
  router.get('/v1/tenants/:tenantId/reports/alerts', async (request, response) => {
    const { tenantId } = parseOrRefuse(tenantParamsSchema, request.params);
    const { from, to, format } = parseOrRefuse(alertReportQuerySchema, request.query);
    const report = await deps.reports.alerts(principalOf(response), tenantId, { from, to });
    if (format === 'json') return void response.json(report);
    response.type('text/csv; charset=utf-8').attachment(`alerts-${tenantId}-${from}-${to}.csv`).send(alertReportCsv(report));
  });
  router.get('/v1/tenants/:tenantId/reports/weekly-review', async (request, response) => {
    const { tenantId } = parseOrRefuse(tenantParamsSchema, request.params);
    const { week } = parseOrRefuse(weeklyReviewQuerySchema, request.query);
    // Built before the type is set: a refusal must go out as JSON, not labelled text/html.
    const page = await deps.reports.weeklyReviewHtml(principalOf(response), tenantId, week);
    response.type('html').send(page);
  });
  return router;
}
