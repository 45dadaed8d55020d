/** Per-tenant records next to the dashboard read model (same SQLite file): package changes (R16) and leak-check findings (R4). */
import type { DatabaseSync } from 'node:sqlite';
import { openSqlite } from './sqliteFile';
import { z } from 'zod';
import type { ScheduledPackageChange } from '../../domain/packageChange';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS package_changes (
    tenant_id      TEXT NOT NULL,
    effective_date TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    from_package   INTEGER NOT NULL,
    to_package     INTEGER NOT NULL,
    requested_by   TEXT NOT NULL,
    requested_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, effective_date)
  );
  CREATE TABLE IF NOT EXISTS leak_findings (
    tenant_id   TEXT NOT NULL,
    address     TEXT NOT NULL,
    breach      TEXT NOT NULL,
    found_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, address, breach)
  );
`;

export const packageChangeSchema = z
  .object({
    tenantId: z.string(),
    effectiveDate: z.string(),
    effectiveFrom: z.string(),
    fromPackage: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    toPackage: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    requestedBy: z.string(),
    requestedAt: z.string(),
  })
  .meta({ id: 'PackageChange' });
export type PackageChange = z.output<typeof packageChangeSchema>;

export const leakFindingSchema = z
  .object({ address: z.string(), breach: z.string(), foundAt: z.string() })
  .meta({ id: 'LeakFinding' });
export type LeakFinding = z.output<typeof leakFindingSchema>;

export class TenantLedger {
  private readonly db: DatabaseSync;

  constructor(file: string) {
    this.db = openSqlite(file, SCHEMA);
  }

  /** Records a change; a second request for the same tenant and date replaces the first. */
  recordPackageChange(change: PackageChange): void {
    this.db
      .prepare(
        `INSERT INTO package_changes (tenant_id, effective_date, effective_from, from_package, to_package, requested_by, requested_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, effective_date) DO UPDATE SET to_package = excluded.to_package, from_package = excluded.from_package,
           requested_by = excluded.requested_by, requested_at = excluded.requested_at`,
      )
      .run(change.tenantId, change.effectiveDate, change.effectiveFrom, change.fromPackage, change.toPackage, change.requestedBy, change.requestedAt);
  }

  packageChanges(tenantId: string): PackageChange[] {
    return this.db
      .prepare(
        `SELECT tenant_id AS tenantId, effective_date AS effectiveDate, effective_from AS effectiveFrom, from_package AS fromPackage,
           to_package AS toPackage, requested_by AS requestedBy, requested_at AS requestedAt
         FROM package_changes WHERE tenant_id = ? ORDER BY effective_date`,
      )
      .all(tenantId)
      .map((row) => packageChangeSchema.parse(row));
  }

  /** The changes in the shape `packageOn` reads. */
  scheduledChanges(tenantId: string): ScheduledPackageChange[] {
    return this.packageChanges(tenantId).map(({ tenantId: id, toPackage, effectiveFrom }) => ({ tenantId: id, toPackage, effectiveFrom }));
  }

  /** Stores findings and returns only those not stored before (R4: report only new compromised addresses). */
  recordLeakFindings(tenantId: string, findings: readonly { address: string; breach: string }[], foundAt: string): LeakFinding[] {
    const insert = this.db.prepare('INSERT INTO leak_findings (tenant_id, address, breach, found_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    const fresh: LeakFinding[] = [];
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const { address, breach } of findings) {
        if (Number(insert.run(tenantId, address.toLowerCase(), breach, foundAt).changes) > 0) fresh.push({ address: address.toLowerCase(), breach, foundAt });
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    return fresh;
  }

  leakFindings(tenantId: string): LeakFinding[] {
    return this.db
      .prepare('SELECT address, breach, found_at AS foundAt FROM leak_findings WHERE tenant_id = ? ORDER BY found_at DESC, address, breach')
      .all(tenantId)
      .map((row) => leakFindingSchema.parse(row));
  }

  close(): void {
    this.db.close();
  }
}
