/**
 * The engine's tables in SQLite; created when missing, so a file made by an earlier version is brought up to date in place.
 * PostgreSQL's migrations (stores/postgres/migrations.ts) define the same tables: test/stores/storeSchemas.test.ts holds them equal.
 */
import { CONFIG_VERSIONS_TABLE } from '../versionStore';

export const SQLITE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS dashboard_alerts (
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
  CREATE INDEX IF NOT EXISTS dashboard_alerts_by_tenant ON dashboard_alerts (tenant_id, severity, received_at DESC);
  CREATE TABLE IF NOT EXISTS alert_hosts (
    alert_id    TEXT NOT NULL,
    tenant_id   TEXT NOT NULL,
    hostname    TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (alert_id, hostname)
  );
  CREATE INDEX IF NOT EXISTS alert_hosts_by_host ON alert_hosts (tenant_id, hostname, received_at);
  CREATE TABLE IF NOT EXISTS work_orders (
    work_order_id TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL,
    alert_id      TEXT,
    requested_by  TEXT NOT NULL,
    requested_at  TEXT NOT NULL,
    description   TEXT NOT NULL,
    reason        TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS work_orders_by_tenant ON work_orders (tenant_id, requested_at);
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
    tenant_id TEXT NOT NULL,
    address   TEXT NOT NULL,
    breach    TEXT NOT NULL,
    found_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, address, breach)
  );
  CREATE TABLE IF NOT EXISTS graph_alert_watermarks (
    tenant_id            TEXT PRIMARY KEY,
    last_update_datetime TEXT NOT NULL,
    ids_at_watermark     TEXT NOT NULL,
    pulled_at            TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS dashboard_sessions (
    session_key   TEXT PRIMARY KEY,
    principal_key TEXT NOT NULL,
    principal     TEXT NOT NULL,
    csrf_token    TEXT NOT NULL,
    expires_at    INTEGER NOT NULL,
    opened_at     INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS dashboard_sessions_by_principal ON dashboard_sessions (principal_key, opened_at);
  CREATE TABLE IF NOT EXISTS rate_limit_hits (
    bucket       TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
  );
  CREATE INDEX IF NOT EXISTS rate_limit_hits_by_window ON rate_limit_hits (window_start);
  CREATE TABLE IF NOT EXISTS option_changes (
    tenant_id      TEXT NOT NULL,
    effective_date TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    option_name    TEXT NOT NULL,
    setting        TEXT NOT NULL,
    requested_by   TEXT NOT NULL,
    requested_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, effective_date, option_name)
  );
  CREATE TABLE IF NOT EXISTS fair_use_notices (
    tenant_id  TEXT NOT NULL,
    month      TEXT NOT NULL,
    incidents  INTEGER NOT NULL,
    baseline   INTEGER NOT NULL,
    flagged_at TEXT NOT NULL,
    sent_at    TEXT,
    PRIMARY KEY (tenant_id, month)
  );
  CREATE TABLE IF NOT EXISTS ${CONFIG_VERSIONS_TABLE}
  CREATE TABLE IF NOT EXISTS enrichment_cache (
    cache_key  TEXT PRIMARY KEY,
    answer     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS enrichment_cache_by_expiry ON enrichment_cache (expires_at);
`;
