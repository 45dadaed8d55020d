/**
 * Booking and cancelling R11 options and the R10 weekend line (R16): decided by the same calendar rule as a package change (end of a month,
 * five Werktage of notice), checked against the tenant as it will stand on that date, recorded in the ledger and
 * read per alert by the intake (`tenantOnFrom`).
 */
import { isDeepStrictEqual } from 'node:util';
import { decidePackageChange } from '../../domain/packageChange';
import type { TenantCatalog } from '../../domain/tenant/loadTenants';
import type { ChangeableOption } from '../../domain/optionChange';
import type { TenantOptions } from '../../domain/tenant/tenantOptionsSchema';
import { tenantSchema, type Tenant } from '../../domain/tenant/tenantSchema';
import { tenantOnFrom, type OptionChange, type TenantLedger } from '../../stores/tenantLedger';
import { may, type Principal } from '../../domain/access/roles';
import { ForbiddenError, InvalidInputError, issuesOf, PackageChangeTooLateError } from '../../domain/refusals';
import { noTenant, requireTenantInScope } from '../../domain/access/tenantScope';

export type OptionSettings = Partial<Pick<TenantOptions, ChangeableOption>>;

export class OptionChanges {
  constructor(
    private readonly deps: {
      ledger: TenantLedger;
      tenants: TenantCatalog;
      now: () => Date;
      /** Builds the tenant's policy as the workflows will get it; throws what a start-up would refuse (R11's isolation playbook). */
      checkPolicy?: (tenant: Tenant) => unknown;
    },
  ) {}

  async request(principal: Principal, tenantId: string, body: { options: OptionSettings; effectiveDate?: string | undefined }): Promise<OptionChange[]> {
    requireTenantInScope(principal, tenantId);
    if (!may(principal, 'changePackages')) throw new ForbiddenError(`Role '${principal.role}' may not change booked options`);
    const tenant = this.deps.tenants.get(tenantId);
    if (!tenant) throw noTenant(tenantId);
    const requestedAt = this.deps.now();
    const decision = decidePackageChange(requestedAt, body.effectiveDate, 'booking or cancelling an option (R10, R11)');
    if (!decision.accepted) throw new PackageChangeTooLateError(decision.reason, decision.earliest.effectiveDate, 'option_change_too_late');
    const before = await tenantOnFrom(this.deps.ledger)(tenant, decision.effectiveFrom);
    const changed = (Object.entries(body.options) as [ChangeableOption, TenantOptions[ChangeableOption]][]).filter(([option, setting]) => !isDeepStrictEqual(before.options[option], setting));
    if (changed.length === 0) {
      throw new InvalidInputError([{ field: 'options', message: `changes nothing: on ${decision.effectiveDate} the tenant has these options as requested already` }]);
    }
    // The tenant as it will stand must be valid (R11: no package 3 option on package 1) and give a policy.
    const checked = tenantSchema.safeParse({ ...before, options: { ...before.options, ...body.options } });
    if (!checked.success) throw new InvalidInputError(issuesOf(checked.error));
    try {
      this.deps.checkPolicy?.(checked.data);
    } catch (error) {
      throw new InvalidInputError([{ field: 'options', message: error instanceof Error ? error.message : String(error) }]);
    }
    const changes = changed.map(([option, setting]): OptionChange => ({
      tenantId,
      effectiveDate: decision.effectiveDate,
      effectiveFrom: decision.effectiveFrom.toISOString(),
      option,
      setting,
      requestedBy: `${principal.role}:${principal.keyId}`,
      requestedAt: requestedAt.toISOString(),
    }));
    for (const change of changes) await this.deps.ledger.recordOptionChange(change);
    return changes;
  }

  async list(principal: Principal, tenantId: string): Promise<{ items: OptionChange[]; optionsNow: TenantOptions }> {
    requireTenantInScope(principal, tenantId); // another tenant's are absent (R17)
    if (!may(principal, 'readPackageChanges')) throw new ForbiddenError(`Role '${principal.role}' may not read booked options`);
    const tenant = this.deps.tenants.get(tenantId);
    if (!tenant) throw noTenant(tenantId);
    const now = await tenantOnFrom(this.deps.ledger)(tenant, this.deps.now());
    return { items: await this.deps.ledger.optionChanges(tenantId), optionsNow: now.options };
  }
}
