/**
 * The one tenant-scope rule (R17): a key bound to a tenant sees and acts for that tenant only, and everything of
 * another tenant is absent to it. The refusal is the same 404 a resource that does not exist gets, word for word, so
 * a key learns nothing of another tenant's alerts, reports or settings (no existence oracle). Keys not bound to a
 * tenant (analysts, auditors, admins) act for every tenant. The API checks a route's alert and tenant before its
 * role rule (api/auth/tenantScopeGuard.ts); the services check again with the same functions, for the dashboard.
 */
import { tenantOfAlertId } from '../alertIdentity';
import { NotFoundError } from '../refusals';
import type { Principal } from './roles';

/** What a request for an absent tenant is told: the same words whether the tenant exists or not. */
export function noTenant(tenantId: string): NotFoundError {
  return new NotFoundError(`No tenant '${tenantId}'`);
}

/** What a request for an absent alert is told. */
export function noAlert(alertId: string): NotFoundError {
  return new NotFoundError(`No alert '${alertId}'`);
}

/** True when the key may see and act for the tenant. */
export function mayActFor(principal: Principal, tenantId: string): boolean {
  return principal.tenantId === null || principal.tenantId === tenantId;
}

/** Refuses another tenant as absent (404). */
export function requireTenantInScope(principal: Principal, tenantId: string): void {
  if (!mayActFor(principal, tenantId)) throw noTenant(tenantId);
}

/** Refuses another tenant's alert as absent (404); the tenant is read from the alert id (`alert.<tenant>.<source>.<hash>`). */
export function requireAlertInScope(principal: Principal, alertId: string): void {
  if (principal.tenantId === null) return;
  if (tenantOfAlertId(alertId) !== principal.tenantId) throw noAlert(alertId);
}

/**
 * The tenant a key's request is about, where the tenant is optional (a list filter, a work order): a bound key's own
 * tenant, another tenant refused as absent (404); for an unbound key what it asked for (undefined: every tenant).
 */
export function tenantInScope(principal: Principal, requested: string | undefined): string | undefined {
  if (requested !== undefined) requireTenantInScope(principal, requested);
  return principal.tenantId ?? requested;
}
