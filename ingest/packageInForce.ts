/** R16 at intake: every intake (API and scheduled pulls) starts an alert with the package and R11 options in force on that day. */
import type { Tenant } from '../domain/tenant/tenantSchema';
import type { TenantPolicy } from '../domain/tenantPolicy';
import { tenantOnFrom, type TenantLedger } from '../stores/tenantLedger';

/** The tenant's policy as a new alert gets it; read per alert, so a package or option change takes effect on its date. */
export type PolicyInForce = (tenant: Tenant) => Promise<TenantPolicy>;

/**
 * The tenant's policy with the package and options in force at `now()`: read per alert from the ledger, so a change
 * takes effect on its date without a restart, whichever API process recorded it. `policyFor` builds the policy of the
 * tenant as it stands then (a booked option changes the terms, the fixed contact, the response: R11).
 */
export function withPackageChanges(policyFor: (tenant: Tenant) => TenantPolicy, ledger: TenantLedger, now: () => Date): PolicyInForce {
  const tenantOn = tenantOnFrom(ledger);
  return async (tenant) => policyFor(await tenantOn(tenant, now()));
}
