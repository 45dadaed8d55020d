/** API keys from a YAML file: stored as SHA-256 hashes; plain dev keys only in a file marked devOnly, refused in production. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { slugSchema } from '../../domain/alert';
import { ROLES, TENANT_BOUND_ROLES, type Principal } from './roles';

const keyEntrySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
    role: z.enum(ROLES),
    tenantId: slugSchema.optional(),
    /** Hex SHA-256 of the key. */
    sha256: z
      .string({ error: 'must be a quoted string of 64 hex digits (unquoted, YAML may read a hash as a number)' })
      .regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits')
      .optional(),
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

export class ApiKeyRegistry {
  private readonly byHash: Map<string, Principal>;

  constructor(entries: { sha256: string; principal: Principal }[], readonly devKeys: DevKey[]) {
    this.byHash = new Map(entries.map((e) => [e.sha256, e.principal]));
  }

  /**
   * The principal for a presented key, or undefined. The lookup is by the key's hash, so its timing
   * says nothing about the stored keys' characters.
   */
  authenticate(presented: string): Principal | undefined {
    return this.byHash.get(sha256Hex(presented));
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The key ids of the analysts: who an alert can be handed to. */
  analysts(): string[] {
    return [...new Set([...this.byHash.values()].filter((p) => p.role === 'analyst').map((p) => p.keyId))].sort();
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function loadApiKeys(file: string, { production }: { production: boolean }): ApiKeyRegistry {
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
    return { sha256: entry.sha256 ?? sha256Hex(entry.key ?? ''), principal: { keyId: entry.id, role: entry.role, tenantId } };
  });
  return new ApiKeyRegistry(entries, devKeys);
}
