/** R16 at intake: every intake (API and scheduled pulls) starts an alert with the package in force on that day. */
import type { TenantLedger } from '../activities/publication/tenantLedger';
import { packageOn } from '../domain/packageChange';
import type { Tenant } from '../domain/tenant/tenantSchema';
import type { TenantPolicy } from '../domain/tenantPolicy';

/**
 * The tenant's policy with the package in force at `now()`: read per alert from the ledger, so a change takes
 * effect on its date without a restart.
 */
export function withPackageChanges(policyFor: (tenant: Tenant) => TenantPolicy, ledger: TenantLedger, now: () => Date): (tenant: Tenant) => TenantPolicy {
  return (tenant) => {
    const policy = policyFor(tenant);
    const pkg = packageOn(tenant.package, ledger.scheduledChanges(tenant.id), now());
    return pkg === policy.package ? policy : { ...policy, package: pkg, terms: { ...policy.terms, package: pkg } };
  };
}
