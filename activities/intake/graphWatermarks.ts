/**
 * Where each tenant's Graph alert pull stopped, kept in the engine's SQLite file next to the read model. The row moves
 * only after every alert of a pull was handed to Temporal, so a crash re-reads from the old mark (duplicates are
 * recognised by the alert's business key) and never skips an alert.
 */
import type { DatabaseSync } from 'node:sqlite';
import { openSqlite } from '../publication/sqliteFile';
import { graphAlertWatermarkSchema, type GraphAlertWatermark } from './graphAlertPull';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS graph_alert_watermarks (
    tenant_id            TEXT PRIMARY KEY,
    last_update_datetime TEXT NOT NULL,
    ids_at_watermark     TEXT NOT NULL,
    pulled_at            TEXT NOT NULL
  );
`;

export class GraphWatermarks {
  private readonly db: DatabaseSync;

  constructor(file: string) {
    this.db = openSqlite(file, SCHEMA);
  }

  get(tenantId: string): GraphAlertWatermark | null {
    const row = this.db.prepare('SELECT last_update_datetime, ids_at_watermark FROM graph_alert_watermarks WHERE tenant_id = ?').get(tenantId);
    if (!row) return null;
    return graphAlertWatermarkSchema.parse({ lastUpdateDateTime: row.last_update_datetime, idsAtWatermark: JSON.parse(String(row.ids_at_watermark)) });
  }

  set(tenantId: string, watermark: GraphAlertWatermark, pulledAt: Date): void {
    this.db
      .prepare(
        `INSERT INTO graph_alert_watermarks (tenant_id, last_update_datetime, ids_at_watermark, pulled_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id) DO UPDATE SET last_update_datetime = excluded.last_update_datetime,
           ids_at_watermark = excluded.ids_at_watermark, pulled_at = excluded.pulled_at`,
      )
      .run(tenantId, watermark.lastUpdateDateTime, JSON.stringify(watermark.idsAtWatermark), pulledAt.toISOString());
  }

  close(): void {
    this.db.close();
  }
}
