#!/bin/sh
# Creates (first run) or upgrades Temporal's two PostgreSQL databases with temporal-sql-tool, idempotently: safe to
# run before every start of the server. Used by docker-compose.yml (the admin-tools image) and by the production
# topology test (the tool built from the Go module proxy), with the same variables:
#   TEMPORAL_SQL_TOOL (default temporal-sql-tool), TEMPORAL_SCHEMA_DIR (holds postgresql/v12/...),
#   TEMPORAL_DB_HOST, TEMPORAL_DB_PORT, TEMPORAL_DB_USER, TEMPORAL_DB_PASSWORD,
#   TEMPORAL_DB_NAME (default temporal), TEMPORAL_VISIBILITY_DB_NAME (default temporal_visibility).
set -eu
tool="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
schema="${TEMPORAL_SCHEMA_DIR:?set TEMPORAL_SCHEMA_DIR to the folder holding postgresql/v12}/postgresql/v12"
export SQL_PLUGIN=postgres12 SQL_HOST="${TEMPORAL_DB_HOST:-127.0.0.1}" SQL_PORT="${TEMPORAL_DB_PORT:-5432}"
export SQL_USER="${TEMPORAL_DB_USER:-temporal}" SQL_PASSWORD="${TEMPORAL_DB_PASSWORD:-}"

prepare() {
  database="$1"
  versioned="$2"
  # `create` fails when the database exists; that is the state we want.
  "$tool" --db "$database" create-database 2>/dev/null || echo "database $database exists"
  # setup-schema -v 0.0 creates the version bookkeeping (a no-op when it exists); update-schema brings the
  # database to the newest version this release ships, applying only what is missing.
  "$tool" --db "$database" setup-schema -v 0.0
  "$tool" --db "$database" update-schema -d "$versioned"
}

prepare "${TEMPORAL_DB_NAME:-temporal}" "$schema/temporal/versioned"
prepare "${TEMPORAL_VISIBILITY_DB_NAME:-temporal_visibility}" "$schema/visibility/versioned"
echo "Temporal schema ready"
