/** Opens the engine's SQLite file (created with its folder when missing, WAL mode) and applies a schema script; `:memory:` for tests. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export function openSqlite(file: string, schema: string): DatabaseSync {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  // Several processes share the file (worker, API): readers never block the writer, a busy writer is waited for.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;');
  db.exec(schema);
  return db;
}
