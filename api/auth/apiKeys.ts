/** API keys from a YAML file: stored as SHA-256 hashes; plain dev keys only in a file marked devOnly, refused in production. */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { slugSchema } from '../../domain/alert';
import { ROLES, TENANT_BOUND_ROLES, type Principal } from '../../domain/access/roles';

const hashSchema = z
  .string({ error: 'must be a quoted string of 64 hex digits (unquoted, YAML may read a hash as a number)' })
  .regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

const keyEntrySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
    role: z.enum(ROLES),
    tenantId: slugSchema.optional(),
    /** Hex SHA-256 of the key; during a rotation a list of two (the old and the new key, both valid). */
    sha256: z
      .union([hashSchema, z.array(hashSchema).min(1).max(2)], { error: 'must be a quoted string of 64 hex digits, or a list of two such strings during a rotation (unquoted, YAML may read a hash as a number)' })
      .optional(),
    /** After this instant the key authenticates no more (ISO 8601 with offset, e.g. 2027-03-31T23:59:59Z). */
    expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with offset, like 2027-03-31T23:59:59Z' }).optional(),
    /** The key in plain text: only in a devOnly file. */
    key: z.string().min(16).optional(),
  })
  .superRefine((entry, ctx) => {
    if ((entry.sha256 === undefined) === (entry.key === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of sha256 and key', path: ['sha256'] });
    }
    const bound = TENANT_BOUND_ROLES.includes(entry.role);
    if (bound && !entry.tenantId) ctx.addIssue({ code: 'custom', message: `role ${entry.role} needs a tenantId`, path: ['tenantId'] });
    if (!bound && entry.tenantId) ctx.addIssue({ code: 'custom', message: `role ${entry.role} is not bound to a tenant`, path: ['tenantId'] });
  });

const keysFileSchema = z.strictObject({
  devOnly: z.boolean().default(false),
  keys: z.array(keyEntrySchema).min(1),
});

/** Thrown when the API keys file is missing, malformed or not allowed in this environment. */
export class ApiKeysFileError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
  }
}

export interface DevKey {
  id: string;
  role: string;
  tenantId: string | null;
  key: string;
}

interface StoredKey {
  principal: Principal;
  /** Epoch ms after which the key is refused; null: no expiry. */
  expiresAt: number | null;
}

type KeyEntries = { sha256: string; principal: Principal; expiresAt?: number | null }[];

/** How often at most the keys file is looked at for changes (one `stat`), so that an edit takes effect without a restart. */
const RELOAD_CHECK_MS = 1_000;

export class ApiKeyRegistry {
  private byHash: Map<string, StoredKey>;
  private checkedAt = 0;
  private version: string | null = null;
  /** Why the last edit of the keys file was not taken (the keys before it stay in force), or null. */
  reloadError: string | null = null;

  constructor(
    entries: KeyEntries,
    readonly devKeys: DevKey[],
    private readonly source?: { file: string; production: boolean },
  ) {
    this.byHash = toMap(entries);
    if (source) this.version = versionOf(source.file);
  }

  /**
   * The principal for a presented key, or undefined (also once the key has expired). The lookup is by the key's
   * hash, so its timing says nothing about the stored keys' characters.
   */
  authenticate(presented: string, now: number = Date.now()): Principal | undefined {
    this.reloadIfEdited();
    const stored = this.byHash.get(sha256Hex(presented));
    if (!stored || (stored.expiresAt !== null && now >= stored.expiresAt)) return undefined;
    return stored.principal;
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The key ids of the analysts: who an alert can be handed to. */
  analysts(): string[] {
    this.reloadIfEdited();
    return [...new Set([...this.byHash.values()].filter((k) => k.principal.role === 'analyst').map((k) => k.principal.keyId))].sort();
  }

  /** A key removed from the file (revoked) or added to it counts from the next request after the edit (within 1 s). */
  private reloadIfEdited(): void {
    if (!this.source || Date.now() - this.checkedAt < RELOAD_CHECK_MS) return;
    this.checkedAt = Date.now();
    const version = versionOf(this.source.file);
    if (version === this.version) return;
    try {
      this.byHash = toMap(readKeyEntries(this.source.file, this.source.production).entries);
      this.version = version;
      this.reloadError = null;
    } catch (error) {
      // A half-written or broken file: the keys before the edit stay in force until the file is valid again.
      this.reloadError = error instanceof Error ? error.message : String(error);
    }
  }
}

function toMap(entries: KeyEntries): Map<string, StoredKey> {
  return new Map(entries.map((e) => [e.sha256, { principal: e.principal, expiresAt: e.expiresAt ?? null }]));
}

function versionOf(file: string): string | null {
  try {
    const stats = statSync(file);
    return `${stats.mtimeMs}:${stats.size}`;
  } catch {
    return null;
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function loadApiKeys(file: string, { production }: { production: boolean }): ApiKeyRegistry {
  const { entries, devKeys } = readKeyEntries(file, production);
  return new ApiKeyRegistry(entries, devKeys, { file, production });
}

function readKeyEntries(file: string, production: boolean): { entries: KeyEntries; devKeys: DevKey[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ApiKeysFileError(file, 'cannot be read');
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new ApiKeysFileError(file, `not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = keysFileSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiKeysFileError(file, `${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const { devOnly, keys } = parsed.data;
  if (devOnly && production) throw new ApiKeysFileError(file, 'dev keys are refused when NODE_ENV=production');
  const seen = new Set<string>();
  const devKeys: DevKey[] = [];
  const entries = keys.map((entry) => {
    if (seen.has(entry.id)) throw new ApiKeysFileError(file, `duplicate key id '${entry.id}'`);
    seen.add(entry.id);
    if (entry.key !== undefined && !devOnly) {
      throw new ApiKeysFileError(file, `key '${entry.id}' is in plain text: store its sha256 (plain keys only in a devOnly file)`);
    }
    const tenantId = entry.tenantId ?? null;
    if (entry.key !== undefined) devKeys.push({ id: entry.id, role: entry.role, tenantId, key: entry.key });
    const hashes = entry.sha256 === undefined ? [sha256Hex(entry.key ?? '')] : typeof entry.sha256 === 'string' ? [entry.sha256] : entry.sha256;
    const expiresAt = entry.expiresAt === undefined ? null : Date.parse(entry.expiresAt);
    // Both keys of a rotation are the same principal: one key id, one rate budget, one identity in the trail.
    return hashes.map((sha256) => ({ sha256, principal: { keyId: entry.id, role: entry.role, tenantId }, expiresAt }));
  });
  return { entries: entries.flat(), devKeys };
}
