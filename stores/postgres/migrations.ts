/**
 * The engine's PostgreSQL schema as numbered migrations, applied in order at start (postgresMigrate.ts). Kept in
 * code, not .sql files, so the compiled image carries them. A migration once released is never edited: add the next.
 * Times are ISO-8601 UTC text, as in SQLite, so both stores order and compare them alike. The tables must match
 * SQLite's (stores/sqlite/sqliteSchema.ts): test/stores/storeSchemas.test.ts compares both as they open.
 */
import { CONFIG_VERSIONS_TABLE } from '../versionStore';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'engine tables',
    sql: `
      CREATE TABLE dashboard_alerts (
        alert_id       TEXT PRIMARY KEY,
        tenant_id      TEXT NOT NULL,
        source         TEXT NOT NULL,
        title          TEXT NOT NULL,
        severity       TEXT NOT NULL,
        state          TEXT NOT NULL,
        decided_by     TEXT NOT NULL,
        recommendation TEXT,
        observed_at    TEXT NOT NULL,
        received_at    TEXT NOT NULL,
        published_at   TEXT NOT NULL
      );
      CREATE INDEX dashboard_alerts_by_tenant ON dashboard_alerts (tenant_id, severity, received_at DESC);
      CREATE INDEX dashboard_alerts_by_received ON dashboard_alerts (received_at);
      CREATE TABLE alert_hosts (
        alert_id    TEXT NOT NULL,
        tenant_id   TEXT NOT NULL,
        hostname    TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (alert_id, hostname)
      );
      CREATE INDEX alert_hosts_by_host ON alert_hosts (tenant_id, hostname, received_at);
      CREATE TABLE work_orders (
        work_order_id TEXT PRIMARY KEY,
        tenant_id     TEXT NOT NULL,
        alert_id      TEXT,
        requested_by  TEXT NOT NULL,
        requested_at  TEXT NOT NULL,
        description   TEXT NOT NULL,
        reason        TEXT NOT NULL
      );
      CREATE INDEX work_orders_by_tenant ON work_orders (tenant_id, requested_at);
      CREATE TABLE package_changes (
        tenant_id      TEXT NOT NULL,
        effective_date TEXT NOT NULL,
        effective_from TEXT NOT NULL,
        from_package   INTEGER NOT NULL,
        to_package     INTEGER NOT NULL,
        requested_by   TEXT NOT NULL,
        requested_at   TEXT NOT NULL,
        PRIMARY KEY (tenant_id, effective_date)
      );
      CREATE TABLE leak_findings (
        tenant_id TEXT NOT NULL,
        address   TEXT NOT NULL,
        breach    TEXT NOT NULL,
        found_at  TEXT NOT NULL,
        PRIMARY KEY (tenant_id, address, breach)
      );
      CREATE TABLE graph_alert_watermarks (
        tenant_id            TEXT PRIMARY KEY,
        last_update_datetime TEXT NOT NULL,
        ids_at_watermark     TEXT NOT NULL,
        pulled_at            TEXT NOT NULL
      );
      CREATE TABLE dashboard_sessions (
        session_key   TEXT PRIMARY KEY,
        principal_key TEXT NOT NULL,
        principal     TEXT NOT NULL,
        csrf_token    TEXT NOT NULL,
        expires_at    BIGINT NOT NULL,
        opened_at     BIGINT NOT NULL,
        opened_seq    BIGSERIAL
      );
      CREATE INDEX dashboard_sessions_by_principal ON dashboard_sessions (principal_key, opened_at);
      CREATE TABLE rate_limit_hits (
        bucket       TEXT NOT NULL,
        window_start BIGINT NOT NULL,
        hits         INTEGER NOT NULL,
        PRIMARY KEY (bucket, window_start)
      );
      CREATE INDEX rate_limit_hits_by_window ON rate_limit_hits (window_start);
    `,
  },
  {
    version: 2,
    name: 'option changes (R11, R16) and fair-use notices (R15)',
    sql: `
      CREATE TABLE option_changes (
        tenant_id      TEXT NOT NULL,
        effective_date TEXT NOT NULL,
        effective_from TEXT NOT NULL,
        option_name    TEXT NOT NULL,
        setting        TEXT NOT NULL,
        requested_by   TEXT NOT NULL,
        requested_at   TEXT NOT NULL,
        PRIMARY KEY (tenant_id, effective_date, option_name)
      );
      CREATE TABLE fair_use_notices (
        tenant_id  TEXT NOT NULL,
        month      TEXT NOT NULL,
        incidents  INTEGER NOT NULL,
        baseline   INTEGER NOT NULL,
        flagged_at TEXT NOT NULL,
        sent_at    TEXT,
        PRIMARY KEY (tenant_id, month)
      );
    `,
  },
  {
    version: 3,
    name: 'versions of playbooks and release matrices',
    sql: `CREATE TABLE ${CONFIG_VERSIONS_TABLE}`,
  },
  {
    version: 4,
    name: 'enrichment cache',
    sql: `
      CREATE TABLE enrichment_cache (
        cache_key  TEXT PRIMARY KEY,
        answer     TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX enrichment_cache_by_expiry ON enrichment_cache (expires_at);
    `,
  },
];
