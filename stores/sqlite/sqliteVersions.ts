/** Revisions of playbooks and release matrices in SQLite. */
import type { DatabaseSync } from 'node:sqlite';
import { VERSION_COLUMNS, VersionConflictError, storedVersionSchema, type StoredVersion, type VersionedKind, type VersionStore } from '../versionStore';

export class SqliteVersions implements VersionStore {
  constructor(private readonly db: DatabaseSync) {}

  async append(v: StoredVersion): Promise<StoredVersion> {
    const inserted = this.db
      .prepare(
        `INSERT INTO config_versions (kind, subject, revision, role, digest, previous_digest, changed_by, changed_at, note, content)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(v.kind, v.subject, v.revision, v.role, v.digest, v.previousDigest, v.changedBy, v.changedAt, v.note, v.content);
    if (Number(inserted.changes) === 0) throw new VersionConflictError(v.kind, v.subject, v.revision);
    return v;
  }

  async history(kind: VersionedKind, subject: string): Promise<StoredVersion[]> {
    return this.db
      .prepare(`SELECT ${VERSION_COLUMNS} FROM config_versions WHERE kind = ? AND subject = ? ORDER BY revision DESC`)
      .all(kind, subject)
      .map((row) => storedVersionSchema.parse(row));
  }
}
