/** R16 at intake: every intake (API and scheduled pulls) starts an alert with the package in force on that day. */
import { packageOn } from '../domain/packageChange';
import type { Tenant } from '../domain/tenant/tenantSchema';
import type { TenantPolicy } from '../domain/tenantPolicy';
import { scheduledChanges, type TenantLedger } from '../stores/tenantLedger';

/** The tenant's policy as a new alert gets it; read per alert, so a package change takes effect on its date. */
export type PolicyInForce = (tenant: Tenant) => Promise<TenantPolicy>;

/**
 * The tenant's policy with the package in force at `now()`: read per alert from the ledger, so a change takes
 * effect on its date without a restart, whichever API process recorded it.
 */
export function withPackageChanges(policyFor: (tenant: Tenant) => TenantPolicy, ledger: TenantLedger, now: () => Date): PolicyInForce {
  return async (tenant) => {
    const policy = policyFor(tenant);
    const pkg = packageOn(tenant.package, await scheduledChanges(ledger, tenant.id), now());
    return pkg === policy.package ? policy : { ...policy, package: pkg, terms: { ...policy.terms, package: pkg } };
  };
}
