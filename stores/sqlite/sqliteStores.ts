/** The engine's stores in one SQLite file (node:sqlite, built into Node 24): the embedded default of `npm start`. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { EngineStores } from '../engineStores';
import { SQLITE_SCHEMA } from './sqliteSchema';
import { SqliteReadModel, SqliteWorkOrders } from './sqliteReadModel';
import { SqliteLedger, SqliteWatermarks } from './sqliteLedger';
import { SqliteRateLimits, SqliteSessions } from './sqliteSessions';
import { SqliteVersions } from './sqliteVersions';

/** Opens (creating when missing, with its folder) the engine's SQLite file; `:memory:` for a throwaway store. */
export function openSqliteStores(file: string): EngineStores {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  // Several processes of one host share the file (worker, API): readers never block the writer, a busy writer is waited for.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;');
  db.exec(SQLITE_SCHEMA);
  // Files made by an earlier version lack later columns: add them in place.
  const columns = db.prepare('PRAGMA table_info(dashboard_alerts)').all().map((c) => c.name);
  if (!columns.includes('recommendation')) db.exec('ALTER TABLE dashboard_alerts ADD COLUMN recommendation TEXT');
  return {
    kind: 'sqlite',
    readModel: new SqliteReadModel(db),
    workOrders: new SqliteWorkOrders(db),
    ledger: new SqliteLedger(db),
    watermarks: new SqliteWatermarks(db),
    sessions: new SqliteSessions(db),
    rateLimits: new SqliteRateLimits(db),
    versions: new SqliteVersions(db),
    close: async () => {
      if (db.isOpen) db.close();
    },
  };
}

/** Runs `work` in one write transaction. */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
