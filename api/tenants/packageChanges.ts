/** Package change requests (R16): decided by the calendar rule, recorded in the ledger, read per date by the intake. */
import { decidePackageChange, packageOn } from '../../domain/packageChange';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import { tenantSchema, type Tenant } from '../../domain/tenant/tenantSchema';
import type { TenantPackage } from '../../domain/tenantPolicy';
import { scheduledChanges, tenantOnFrom, type PackageChange, type TenantLedger } from '../../stores/tenantLedger';
import { may, type Principal } from '../../domain/access/roles';
import { ForbiddenError, InvalidInputError, issuesOf, PackageChangeTooLateError } from '../../domain/refusals';
import { noTenant, requireTenantInScope } from '../../domain/access/tenantScope';

export class PackageChanges {
  constructor(private readonly deps: { ledger: TenantLedger; tenants: TenantCatalog; now: () => Date }) {}

  async request(principal: Principal, tenantId: string, body: { package: TenantPackage; effectiveDate?: string | undefined }): Promise<PackageChange> {
    requireTenantInScope(principal, tenantId);
    if (!may(principal, 'changePackages')) throw new ForbiddenError(`Role '${principal.role}' may not change packages`);
    const tenant = this.deps.tenants.get(tenantId);
    if (!tenant) throw noTenant(tenantId);
    // The tenant file must stay valid under the new package (R10, R11, R13, R19).
    const refuseInvalid = (candidate: Tenant) => {
      const checked = tenantSchema.safeParse({ ...candidate, package: body.package });
      if (!checked.success) throw new InvalidInputError(issuesOf(checked.error).map((i) => ({ field: 'package', message: `${i.field}: ${i.message}` })));
    };
    refuseInvalid(tenant);
    const requestedAt = this.deps.now();
    const decision = decidePackageChange(requestedAt, body.effectiveDate);
    if (!decision.accepted) throw new PackageChangeTooLateError(decision.reason, decision.earliest.effectiveDate);
    // With the R11 options booked by then (an option on package 1 is refused).
    refuseInvalid(await tenantOnFrom(this.deps.ledger)(tenant, decision.effectiveFrom));
    const change: PackageChange = {
      tenantId,
      effectiveDate: decision.effectiveDate,
      effectiveFrom: decision.effectiveFrom.toISOString(),
      fromPackage: await this.packageOn(tenant, decision.effectiveFrom),
      toPackage: body.package,
      requestedBy: `${principal.role}:${principal.keyId}`,
      requestedAt: requestedAt.toISOString(),
    };
    await this.deps.ledger.recordPackageChange(change);
    return change;
  }

  async list(principal: Principal, tenantId: string): Promise<{ items: PackageChange[]; packageNow: TenantPackage }> {
    requireTenantInScope(principal, tenantId); // another tenant's are absent (R17)
    if (!may(principal, 'readPackageChanges')) throw new ForbiddenError(`Role '${principal.role}' may not read package changes`);
    const tenant = this.deps.tenants.get(tenantId);
    if (!tenant) throw noTenant(tenantId);
    return { items: await this.deps.ledger.packageChanges(tenantId), packageNow: await this.packageOn(tenant, this.deps.now()) };
  }

  private async packageOn(tenant: Tenant, at: Date): Promise<TenantPackage> {
    return packageOn(tenant.package, await scheduledChanges(this.deps.ledger, tenant.id), at);
  }
}
