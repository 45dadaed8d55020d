/** Per-tenant records: package changes (R16) and leak-check findings (R4). */
import { z } from 'zod';
import type { ScheduledPackageChange } from '../domain/packageChange';

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

export interface TenantLedger {
  /** Records a change; a second request for the same tenant and date replaces the first. */
  recordPackageChange(change: PackageChange): Promise<void>;
  packageChanges(tenantId: string): Promise<PackageChange[]>;
  /** Stores findings and returns only those not stored before (R4: report only new compromised addresses). */
  recordLeakFindings(tenantId: string, findings: readonly { address: string; breach: string }[], foundAt: string): Promise<LeakFinding[]>;
  leakFindings(tenantId: string): Promise<LeakFinding[]>;
}

/** The changes in the shape `packageOn` reads. */
export async function scheduledChanges(ledger: TenantLedger, tenantId: string): Promise<ScheduledPackageChange[]> {
  return (await ledger.packageChanges(tenantId)).map(({ tenantId: id, toPackage, effectiveFrom }) => ({ tenantId: id, toPackage, effectiveFrom }));
}

export const PACKAGE_CHANGE_COLUMNS = `tenant_id AS "tenantId", effective_date AS "effectiveDate", effective_from AS "effectiveFrom",
  from_package AS "fromPackage", to_package AS "toPackage", requested_by AS "requestedBy", requested_at AS "requestedAt"`;
