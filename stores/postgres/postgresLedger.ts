/** Package changes, leak findings and Graph watermarks in PostgreSQL. */
import type { Pool } from 'pg';
import { PACKAGE_CHANGE_COLUMNS, leakFindingSchema, packageChangeSchema, type LeakFinding, type PackageChange, type TenantLedger } from '../tenantLedger';
import { watermarkOf, type GraphAlertWatermark, type GraphWatermarks } from '../graphWatermarks';
import { inTransaction } from './postgresStores';

export class PostgresLedger implements TenantLedger {
  constructor(private readonly pool: Pool) {}

  async recordPackageChange(change: PackageChange): Promise<void> {
    await this.pool.query(
      `INSERT INTO package_changes (tenant_id, effective_date, effective_from, from_package, to_package, requested_by, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, effective_date) DO UPDATE SET to_package = excluded.to_package, from_package = excluded.from_package,
         requested_by = excluded.requested_by, requested_at = excluded.requested_at`,
      [change.tenantId, change.effectiveDate, change.effectiveFrom, change.fromPackage, change.toPackage, change.requestedBy, change.requestedAt],
    );
  }

  async packageChanges(tenantId: string): Promise<PackageChange[]> {
    const { rows } = await this.pool.query(`SELECT ${PACKAGE_CHANGE_COLUMNS} FROM package_changes WHERE tenant_id = $1 ORDER BY effective_date`, [tenantId]);
    return rows.map((row) => packageChangeSchema.parse(row));
  }

  async recordLeakFindings(tenantId: string, findings: readonly { address: string; breach: string }[], foundAt: string): Promise<LeakFinding[]> {
    return inTransaction(this.pool, async (db) => {
      const fresh: LeakFinding[] = [];
      for (const { address, breach } of findings) {
        const lower = address.toLowerCase();
        const inserted = await db.query('INSERT INTO leak_findings (tenant_id, address, breach, found_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
          tenantId,
          lower,
          breach,
          foundAt,
        ]);
        if ((inserted.rowCount ?? 0) > 0) fresh.push({ address: lower, breach, foundAt });
      }
      return fresh;
    });
  }

  async leakFindings(tenantId: string): Promise<LeakFinding[]> {
    const { rows } = await this.pool.query(
      'SELECT address, breach, found_at AS "foundAt" FROM leak_findings WHERE tenant_id = $1 ORDER BY found_at DESC, address, breach',
      [tenantId],
    );
    return rows.map((row) => leakFindingSchema.parse(row));
  }
}

export class PostgresWatermarks implements GraphWatermarks {
  constructor(private readonly pool: Pool) {}

  async get(tenantId: string): Promise<GraphAlertWatermark | null> {
    const { rows } = await this.pool.query('SELECT last_update_datetime, ids_at_watermark FROM graph_alert_watermarks WHERE tenant_id = $1', [tenantId]);
    return rows[0] ? watermarkOf(rows[0].last_update_datetime, rows[0].ids_at_watermark) : null;
  }

  async set(tenantId: string, watermark: GraphAlertWatermark, pulledAt: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO graph_alert_watermarks (tenant_id, last_update_datetime, ids_at_watermark, pulled_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET last_update_datetime = excluded.last_update_datetime,
         ids_at_watermark = excluded.ids_at_watermark, pulled_at = excluded.pulled_at`,
      [tenantId, watermark.lastUpdateDateTime, JSON.stringify(watermark.idsAtWatermark), pulledAt.toISOString()],
    );
  }
}
