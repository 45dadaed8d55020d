/**
 * Versions of what the SOC changes at run time: playbooks and tenants' release matrices. Every change is a new
 * revision that keeps its predecessor (who, when, digest); the newest `active` revision is in force, a rollback is a
 * new revision carrying an older one's content. A `shadow` playbook revision runs beside the active one as a dry-run.
 */
import { z } from 'zod';

export const VERSIONED_KINDS = ['playbook', 'release-matrix'] as const;
export type VersionedKind = (typeof VERSIONED_KINDS)[number];
export const VERSION_ROLES = ['active', 'shadow'] as const;
export type VersionRole = (typeof VERSION_ROLES)[number];

export const storedVersionSchema = z
  .object({
    kind: z.enum(VERSIONED_KINDS),
    /** The playbook id, or the tenant id of a release matrix. */
    subject: z.string(),
    /** 1, 2, … per kind and subject; 0 is the file the engine loaded (never stored). */
    revision: z.coerce.number().int().positive(),
    role: z.enum(VERSION_ROLES),
    digest: z.string(),
    /** The digest of the revision in force before this one (the file's for the first). */
    previousDigest: z.string(),
    changedBy: z.string(),
    changedAt: z.string(),
    /** Why: the admin's reason, or `rollback to revision N: <reason>`. */
    note: z.string(),
    /** The validated definition as JSON (a playbook definition, or a release matrix). */
    content: z.string(),
  })
  .meta({ id: 'StoredVersion' });
export type StoredVersion = z.output<typeof storedVersionSchema>;

/** Thrown when another change of the same subject was stored first (the caller reads the history and tries again). */
export class VersionConflictError extends Error {
  constructor(readonly kind: VersionedKind, readonly subject: string, readonly revision: number) {
    super(`${kind} ${subject}: revision ${revision} was stored by another change first; read the versions and try again`);
  }
}

export interface VersionStore {
  /** Stores `version` as revision `revision`; VersionConflictError when that revision exists already. */
  append(version: StoredVersion): Promise<StoredVersion>;
  /** Every revision of the subject, newest first. */
  history(kind: VersionedKind, subject: string): Promise<StoredVersion[]>;
}

export const VERSION_COLUMNS = `kind, subject, revision, role, digest, previous_digest AS "previousDigest", changed_by AS "changedBy",
  changed_at AS "changedAt", note, content`;

/** The table, the same in SQLite and PostgreSQL (a migration once released is never edited: a change is the next one). */
export const CONFIG_VERSIONS_TABLE = `config_versions (
  kind            TEXT NOT NULL,
  subject         TEXT NOT NULL,
  revision        INTEGER NOT NULL,
  role            TEXT NOT NULL,
  digest          TEXT NOT NULL,
  previous_digest TEXT NOT NULL,
  changed_by      TEXT NOT NULL,
  changed_at      TEXT NOT NULL,
  note            TEXT NOT NULL,
  content         TEXT NOT NULL,
  PRIMARY KEY (kind, subject, revision)
);`;
