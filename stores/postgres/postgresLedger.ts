/** Package changes, leak findings and Graph watermarks in PostgreSQL. */
import type { Pool } from 'pg';
import {
  FAIR_USE_NOTICE_COLUMNS,
  OPTION_CHANGE_COLUMNS,
  PACKAGE_CHANGE_COLUMNS,
  fairUseNoticeSchema,
  leakFindingSchema,
  optionChangeOf,
  packageChangeSchema,
  type FairUseNotice,
  type LeakFinding,
  type OptionChange,
  type PackageChange,
  type TenantLedger,
} from '../tenantLedger';
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

  async recordOptionChange(change: OptionChange): Promise<void> {
    await this.pool.query(
      `INSERT INTO option_changes (tenant_id, effective_date, effective_from, option_name, setting, requested_by, requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, effective_date, option_name) DO UPDATE SET setting = excluded.setting,
         requested_by = excluded.requested_by, requested_at = excluded.requested_at`,
      [change.tenantId, change.effectiveDate, change.effectiveFrom, change.option, JSON.stringify(change.setting), change.requestedBy, change.requestedAt],
    );
  }

  async optionChanges(tenantId: string): Promise<OptionChange[]> {
    const { rows } = await this.pool.query(`SELECT ${OPTION_CHANGE_COLUMNS} FROM option_changes WHERE tenant_id = $1 ORDER BY effective_date, option_name`, [tenantId]);
    return rows.map((row) => optionChangeOf(row));
  }

  async fairUseNoticeDue(notice: Omit<FairUseNotice, 'sentAt'>): Promise<boolean> {
    await this.pool.query('INSERT INTO fair_use_notices (tenant_id, month, incidents, baseline, flagged_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
      notice.tenantId,
      notice.month,
      notice.incidents,
      notice.baseline,
      notice.flaggedAt,
    ]);
    const { rows } = await this.pool.query('SELECT sent_at FROM fair_use_notices WHERE tenant_id = $1 AND month = $2', [notice.tenantId, notice.month]);
    return rows[0]?.sent_at === null;
  }

  async markFairUseNoticeSent(tenantId: string, month: string, sentAt: string): Promise<void> {
    await this.pool.query('UPDATE fair_use_notices SET sent_at = $1 WHERE tenant_id = $2 AND month = $3 AND sent_at IS NULL', [sentAt, tenantId, month]);
  }

  async fairUseNotices(tenantId: string): Promise<FairUseNotice[]> {
    const { rows } = await this.pool.query(`SELECT ${FAIR_USE_NOTICE_COLUMNS} FROM fair_use_notices WHERE tenant_id = $1 ORDER BY month`, [tenantId]);
    return rows.map((row) => fairUseNoticeSchema.parse(row));
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
