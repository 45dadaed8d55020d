/** Per-tenant records: package and option changes (R16, R11), leak-check findings (R4), fair-use notices (R15). */
import { z } from 'zod';
import { CHANGEABLE_OPTIONS, optionsOn, type ScheduledOptionChange } from '../domain/optionChange';
import { packageOn, type ScheduledPackageChange } from '../domain/packageChange';
import type { Tenant } from '../domain/tenant/tenantSchema';
import { isBooked, PACKAGE_3_OPTIONS, type TenantOptions } from '../domain/tenant/tenantOptionsSchema';

export const packageChangeSchema = z
  .object({
    tenantId: z.string(),
    effectiveDate: z.string(),
    effectiveFrom: z.string(),
    fromPackage: z.coerce.number().pipe(z.union([z.literal(1), z.literal(2), z.literal(3)])),
    toPackage: z.coerce.number().pipe(z.union([z.literal(1), z.literal(2), z.literal(3)])),
    requestedBy: z.string(),
    requestedAt: z.string(),
  })
  .meta({ id: 'PackageChange' });
export type PackageChange = z.output<typeof packageChangeSchema>;

export const leakFindingSchema = z
  .object({ address: z.string(), breach: z.string(), foundAt: z.string() })
  .meta({ id: 'LeakFinding' });
export type LeakFinding = z.output<typeof leakFindingSchema>;

/** A recorded change of one option (R10, R11); `setting` is the option's value from `effectiveFrom` on (false or null: cancelled). */
export const optionChangeSchema = z
  .object({
    tenantId: z.string(),
    effectiveDate: z.string(),
    effectiveFrom: z.string(),
    option: z.enum(CHANGEABLE_OPTIONS),
    setting: z.union([z.boolean(), z.null(), z.record(z.string(), z.unknown())]),
    requestedBy: z.string(),
    requestedAt: z.string(),
  })
  .meta({ id: 'OptionChange' });
export type OptionChange = z.output<typeof optionChangeSchema>;

/** A month in which a tenant was above fair use, and when the SOC's management was told (null: not yet). */
export const fairUseNoticeSchema = z.object({
  tenantId: z.string(),
  month: z.string(),
  incidents: z.coerce.number().int(),
  baseline: z.coerce.number().int(),
  flaggedAt: z.string(),
  sentAt: z.string().nullable(),
});
export type FairUseNotice = z.output<typeof fairUseNoticeSchema>;

export interface TenantLedger {
  /** Records a change; a second request for the same tenant and date replaces the first. */
  recordPackageChange(change: PackageChange): Promise<void>;
  packageChanges(tenantId: string): Promise<PackageChange[]>;
  /** Stores findings and returns only those not stored before (R4: report only new compromised addresses). */
  recordLeakFindings(tenantId: string, findings: readonly { address: string; breach: string }[], foundAt: string): Promise<LeakFinding[]>;
  leakFindings(tenantId: string): Promise<LeakFinding[]>;
  /** Records an option change; a second request for the same tenant, date and option replaces the first. */
  recordOptionChange(change: OptionChange): Promise<void>;
  optionChanges(tenantId: string): Promise<OptionChange[]>;
  /**
   * R15: records that the tenant is above fair use in the month (the first record stands) and answers whether the
   * notice to the SOC's management is still to be sent: true until `markFairUseNoticeSent`, so a retried or restarted
   * check sends what a failed one did not, and never a second notice for a month.
   */
  fairUseNoticeDue(notice: Omit<FairUseNotice, 'sentAt'>): Promise<boolean>;
  markFairUseNoticeSent(tenantId: string, month: string, sentAt: string): Promise<void>;
  fairUseNotices(tenantId: string): Promise<FairUseNotice[]>;
}

/** The changes in the shape `packageOn` reads. */
export async function scheduledChanges(ledger: TenantLedger, tenantId: string): Promise<ScheduledPackageChange[]> {
  return (await ledger.packageChanges(tenantId)).map(({ tenantId: id, toPackage, effectiveFrom }) => ({ tenantId: id, toPackage, effectiveFrom }));
}

/** The option changes in the shape `optionsOn` reads. */
export async function scheduledOptionChanges(ledger: TenantLedger, tenantId: string): Promise<ScheduledOptionChange[]> {
  return (await ledger.optionChanges(tenantId)).map(({ option, setting, effectiveFrom }) => ({ option, setting, effectiveFrom }) as ScheduledOptionChange);
}

const PACKAGE_1_WITHOUT = {
  weekendEmergency: false,
  twentyFourSeven: false,
  allSeverities: false,
  weeklyReview: false,
  fixedSocContact: null,
  aiIsolation: null,
} as const satisfies Partial<TenantOptions>;

/** The tenant as its account stands at an instant: the package and R11 options in force then (R16). */
export type TenantOn = (tenant: Tenant, at: Date) => Promise<Tenant>;

/**
 * The tenant file with the package and option changes in effect at `at` applied; the same object when none is, so
 * callers can tell "unchanged" by identity.
 */
export function tenantOnFrom(ledger: TenantLedger): TenantOn {
  return async (tenant, at) => {
    const [packages, options] = await Promise.all([scheduledChanges(ledger, tenant.id), scheduledOptionChanges(ledger, tenant.id)]);
    const pkg = packageOn(tenant.package, packages, at);
    let booked = optionsOn(tenant.options, options, at);
    // A change to package 1 ends what only packages 2 and 3 can have (R10, R11), whatever was booked for later.
    if (pkg === 1 && (booked.weekendEmergency || PACKAGE_3_OPTIONS.some((option) => isBooked(booked, option)))) booked = { ...booked, ...PACKAGE_1_WITHOUT };
    return pkg === tenant.package && booked === tenant.options ? tenant : { ...tenant, package: pkg, options: booked };
  };
}

/** A stored option-change row (setting as JSON text) as the ledger returns it. */
export function optionChangeOf(row: Record<string, unknown>): OptionChange {
  return optionChangeSchema.parse({ ...row, setting: JSON.parse(String(row['setting'])) });
}

export const OPTION_CHANGE_COLUMNS = `tenant_id AS "tenantId", effective_date AS "effectiveDate", effective_from AS "effectiveFrom",
  option_name AS "option", setting, requested_by AS "requestedBy", requested_at AS "requestedAt"`;

export const FAIR_USE_NOTICE_COLUMNS = `tenant_id AS "tenantId", month, incidents, baseline, flagged_at AS "flaggedAt", sent_at AS "sentAt"`;

export const PACKAGE_CHANGE_COLUMNS = `tenant_id AS "tenantId", effective_date AS "effectiveDate", effective_from AS "effectiveFrom",
  from_package AS "fromPackage", to_package AS "toPackage", requested_by AS "requestedBy", requested_at AS "requestedAt"`;
