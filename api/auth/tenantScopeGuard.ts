/**
 * The tenant-scope guard of every /v1 route (R17, rule in domain/access/tenantScope.ts): before a route's role rule,
 * its input validation or any lookup, an alert (`:alertId`) or tenant (`:tenantId`, `?tenantId=`) of another tenant is
 * refused as absent, 404 with the words a missing one gets. Routers of the API are made with `scopedRouter()`;
 * `tenantQueryScope` runs once for every /v1 request. A tenant named in a JSON body is checked by the service that
 * reads it, with the same rule.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { requireAlertInScope, requireTenantInScope } from '../../domain/access/tenantScope';
import { principalOf } from './authenticate';

/** The route parameters that name a tenant's resource; a route naming one under another name escapes the guard. */
export const TENANT_SCOPED_PARAMS = ['alertId', 'tenantId'] as const;

/** An express Router whose `:alertId` and `:tenantId` parameters pass the tenant-scope guard first. */
export function scopedRouter(): Router {
  const router = Router();
  router.param('alertId', (_request: Request, response: Response, next: NextFunction, alertId: unknown) => {
    requireAlertInScope(principalOf(response), String(alertId));
    next();
  });
  router.param('tenantId', (_request: Request, response: Response, next: NextFunction, tenantId: unknown) => {
    requireTenantInScope(principalOf(response), String(tenantId));
    next();
  });
  return router;
}

/** `?tenantId=` (a list filter, the tenant of an event batch or a shadow report): another tenant is absent (404). */
export function tenantQueryScope(request: Request, response: Response, next: NextFunction): void {
  const named: unknown = request.query['tenantId'];
  for (const tenantId of Array.isArray(named) ? named : [named]) {
    if (typeof tenantId === 'string') requireTenantInScope(principalOf(response), tenantId);
  }
  next();
}
