/** Package changes, leak findings and Graph watermarks in SQLite. */
import type { DatabaseSync } from 'node:sqlite';
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
import { inTransaction } from './sqliteStores';

export class SqliteLedger implements TenantLedger {
  constructor(private readonly db: DatabaseSync) {}

  async recordPackageChange(change: PackageChange): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO package_changes (tenant_id, effective_date, effective_from, from_package, to_package, requested_by, requested_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, effective_date) DO UPDATE SET to_package = excluded.to_package, from_package = excluded.from_package,
           requested_by = excluded.requested_by, requested_at = excluded.requested_at`,
      )
      .run(change.tenantId, change.effectiveDate, change.effectiveFrom, change.fromPackage, change.toPackage, change.requestedBy, change.requestedAt);
  }

  async packageChanges(tenantId: string): Promise<PackageChange[]> {
    return this.db
      .prepare(`SELECT ${PACKAGE_CHANGE_COLUMNS} FROM package_changes WHERE tenant_id = ? ORDER BY effective_date`)
      .all(tenantId)
      .map((row) => packageChangeSchema.parse(row));
  }

  async recordLeakFindings(tenantId: string, findings: readonly { address: string; breach: string }[], foundAt: string): Promise<LeakFinding[]> {
    const insert = this.db.prepare('INSERT INTO leak_findings (tenant_id, address, breach, found_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    return inTransaction(this.db, () =>
      findings.flatMap(({ address, breach }) => {
        const lower = address.toLowerCase();
        return Number(insert.run(tenantId, lower, breach, foundAt).changes) > 0 ? [{ address: lower, breach, foundAt }] : [];
      }),
    );
  }

  async leakFindings(tenantId: string): Promise<LeakFinding[]> {
    return this.db
      .prepare('SELECT address, breach, found_at AS "foundAt" FROM leak_findings WHERE tenant_id = ? ORDER BY found_at DESC, address, breach')
      .all(tenantId)
      .map((row) => leakFindingSchema.parse(row));
  }

  async recordOptionChange(change: OptionChange): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO option_changes (tenant_id, effective_date, effective_from, option_name, setting, requested_by, requested_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, effective_date, option_name) DO UPDATE SET setting = excluded.setting,
           requested_by = excluded.requested_by, requested_at = excluded.requested_at`,
      )
      .run(change.tenantId, change.effectiveDate, change.effectiveFrom, change.option, JSON.stringify(change.setting), change.requestedBy, change.requestedAt);
  }

  async optionChanges(tenantId: string): Promise<OptionChange[]> {
    return this.db
      .prepare(`SELECT ${OPTION_CHANGE_COLUMNS} FROM option_changes WHERE tenant_id = ? ORDER BY effective_date, option_name`)
      .all(tenantId)
      .map((row) => optionChangeOf(row));
  }

  async fairUseNoticeDue(notice: Omit<FairUseNotice, 'sentAt'>): Promise<boolean> {
    return inTransaction(this.db, () => {
      this.db
        .prepare('INSERT INTO fair_use_notices (tenant_id, month, incidents, baseline, flagged_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
        .run(notice.tenantId, notice.month, notice.incidents, notice.baseline, notice.flaggedAt);
      const row = this.db.prepare('SELECT sent_at FROM fair_use_notices WHERE tenant_id = ? AND month = ?').get(notice.tenantId, notice.month);
      return row?.['sent_at'] === null;
    });
  }

  async markFairUseNoticeSent(tenantId: string, month: string, sentAt: string): Promise<void> {
    this.db.prepare('UPDATE fair_use_notices SET sent_at = ? WHERE tenant_id = ? AND month = ? AND sent_at IS NULL').run(sentAt, tenantId, month);
  }

  async fairUseNotices(tenantId: string): Promise<FairUseNotice[]> {
    return this.db
      .prepare(`SELECT ${FAIR_USE_NOTICE_COLUMNS} FROM fair_use_notices WHERE tenant_id = ? ORDER BY month`)
      .all(tenantId)
      .map((row) => fairUseNoticeSchema.parse(row));
  }
}

export class SqliteWatermarks implements GraphWatermarks {
  constructor(private readonly db: DatabaseSync) {}

  async get(tenantId: string): Promise<GraphAlertWatermark | null> {
    const row = this.db.prepare('SELECT last_update_datetime, ids_at_watermark FROM graph_alert_watermarks WHERE tenant_id = ?').get(tenantId);
    return row ? watermarkOf(row['last_update_datetime'], row['ids_at_watermark']) : null;
  }

  async set(tenantId: string, watermark: GraphAlertWatermark, pulledAt: Date): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO graph_alert_watermarks (tenant_id, last_update_datetime, ids_at_watermark, pulled_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id) DO UPDATE SET last_update_datetime = excluded.last_update_datetime,
           ids_at_watermark = excluded.ids_at_watermark, pulled_at = excluded.pulled_at`,
      )
      .run(tenantId, watermark.lastUpdateDateTime, JSON.stringify(watermark.idsAtWatermark), pulledAt.toISOString());
  }
}
