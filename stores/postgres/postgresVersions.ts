/** Revisions of playbooks and release matrices in PostgreSQL. */
import type { Pool } from 'pg';
import { VERSION_COLUMNS, VersionConflictError, storedVersionSchema, type StoredVersion, type VersionedKind, type VersionStore } from '../versionStore';

export class PostgresVersions implements VersionStore {
  constructor(private readonly pool: Pool) {}

  async append(v: StoredVersion): Promise<StoredVersion> {
    const inserted = await this.pool.query(
      `INSERT INTO config_versions (kind, subject, revision, role, digest, previous_digest, changed_by, changed_at, note, content)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [v.kind, v.subject, v.revision, v.role, v.digest, v.previousDigest, v.changedBy, v.changedAt, v.note, v.content],
    );
    if (inserted.rowCount === 0) throw new VersionConflictError(v.kind, v.subject, v.revision);
    return v;
  }

  async history(kind: VersionedKind, subject: string): Promise<StoredVersion[]> {
    const { rows } = await this.pool.query(`SELECT ${VERSION_COLUMNS} FROM config_versions WHERE kind = $1 AND subject = $2 ORDER BY revision DESC`, [kind, subject]);
    return rows.map((row) => storedVersionSchema.parse(row));
  }
}
