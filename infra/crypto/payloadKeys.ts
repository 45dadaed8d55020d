/**
 * The payload encryption keys (AES-256), read from the file `SOAR_PAYLOAD_KEYS_FILE` names: per tenant a set of
 * numbered versions with one active, and the SOC-wide default for payloads that belong to no tenant. Key ids
 * (`<tenant>/v<n>`, `_default/v<n>`) travel in payload metadata; the keys never leave this module's keyring.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config';

/** The key scope of payloads that carry no tenant; not a valid tenant id, so the two never collide. */
export const DEFAULT_KEY_SCOPE = '_default';
const KEY_BYTES = 32;

const base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
  .refine((text) => Buffer.from(text, 'base64').length === KEY_BYTES, `the base64 of exactly ${KEY_BYTES} random bytes (AES-256)`);
const version = z.string().regex(/^[1-9][0-9]{0,5}$/, 'a key version is a positive whole number');
const keySet = z
  .strictObject({
    /** The version new payloads are encrypted with; older versions stay for decoding. */
    active: z.coerce.number().int().min(1),
    keys: z.record(version, base64Key).refine((keys) => Object.keys(keys).length > 0, 'at least one key'),
  })
  .refine((set) => String(set.active) in set.keys, { message: 'the active version must be one of the keys', path: ['active'] });
export const payloadKeysFileSchema = z.strictObject({
  default: keySet,
  tenants: z.record(z.string().regex(/^[a-z0-9-]+$/, 'a tenant id'), keySet).default({}),
});
export type PayloadKeysFile = z.infer<typeof payloadKeysFileSchema>;

/** Thrown when a payload needs a key the keyring does not hold: its key id was deleted (crypto-shredded) or never configured. */
export class PayloadKeyUnavailableError extends Error {
  override readonly name = 'PayloadKeyUnavailableError';
  constructor(readonly keyId: string) {
    super(`Payload key '${keyId}' is not available: it was deleted (crypto-shredded) or is not configured in SOAR_PAYLOAD_KEYS_FILE`);
  }
}

export const keyIdOf = (scope: string, keyVersion: number | string) => `${scope}/v${keyVersion}`;

/** The keys of one process, in memory only. */
export class PayloadKeyring {
  private constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    /** scope (tenant id or `_default`) -> its active key id */
    private readonly active: ReadonlyMap<string, string>,
  ) {}

  static from(file: PayloadKeysFile): PayloadKeyring {
    const keys = new Map<string, Buffer>();
    const active = new Map<string, string>();
    const scopes: [string, PayloadKeysFile['default']][] = [[DEFAULT_KEY_SCOPE, file.default], ...Object.entries(file.tenants)];
    for (const [scope, set] of scopes) {
      for (const [v, key] of Object.entries(set.keys)) keys.set(keyIdOf(scope, v), Buffer.from(key, 'base64'));
      active.set(scope, keyIdOf(scope, set.active));
    }
    return new PayloadKeyring(keys, active);
  }

  /** The key new payloads of this tenant are encrypted with; the default key when `tenantId` is null or has no keys. */
  activeKey(tenantId: string | null): { keyId: string; key: Buffer } {
    const keyId = (tenantId !== null ? this.active.get(tenantId) : undefined) ?? this.active.get(DEFAULT_KEY_SCOPE);
    const key = keyId ? this.keys.get(keyId) : undefined;
    if (!keyId || !key) throw new PayloadKeyUnavailableError(keyIdOf(DEFAULT_KEY_SCOPE, 'active'));
    return { keyId, key };
  }

  /** A key by its id, for decoding; throws PayloadKeyUnavailableError naming the id. */
  key(keyId: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new PayloadKeyUnavailableError(keyId);
    return key;
  }

  /** A key for another purpose (e.g. sealing list cursors), derived from the active SOC default key with HKDF. */
  derivedKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.activeKey(null).key, Buffer.alloc(0), `soar-engine:${purpose}`, 32));
  }

  /** Keys for another purpose derived from every version of the SOC default key (rotation: older versions still verify). */
  derivedKeysOfEveryVersion(purpose: string): { keyId: string; key: Buffer }[] {
    const prefix = `${DEFAULT_KEY_SCOPE}/v`;
    return [...this.keys.entries()]
      .filter(([keyId]) => keyId.startsWith(prefix))
      .map(([keyId, key]) => ({ keyId, key: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `soar-engine:${purpose}`, 32)) }));
  }

  hasTenant(tenantId: string): boolean {
    return this.active.has(tenantId);
  }

  /** Served tenants without keys: a composition root refuses to start rather than encrypt their data with the SOC default key. */
  requireTenants(tenantIds: readonly string[], file: string): void {
    const missing = tenantIds.filter((id) => !this.hasTenant(id));
    if (missing.length > 0) throw new ConfigError('SOAR_PAYLOAD_KEYS_FILE', `${file} has no payload key for the tenant(s) ${missing.join(', ')}`);
  }
}

/** Reads and validates the keys file; an error names the file and the key path, never a key. */
export function loadPayloadKeyring(file: string): PayloadKeyring {
  return PayloadKeyring.from(readKeysFile(file));
}

function readKeysFile(file: string): PayloadKeysFile {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : error instanceof Error ? error.message : 'unreadable';
    throw new ConfigError('SOAR_PAYLOAD_KEYS_FILE', `${file} cannot be read (${code}); \`npm start\` creates development keys, production needs its own file`);
  }
  const parsed = payloadKeysFileSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(file)';
    const what = issue?.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : (issue?.message ?? 'invalid');
    throw new ConfigError('SOAR_PAYLOAD_KEYS_FILE', `${file}: ${where}: ${what}`);
  }
  return parsed.data;
}

export function randomKeySet(): PayloadKeysFile['default'] {
  return { active: 1, keys: { '1': randomBytes(KEY_BYTES).toString('base64') } };
}

/**
 * Development and test keys: random, written once (mode 0600) and kept; tenants added later get their own key on
 * the next start. Never used in production, where the keys file is provisioned like any other secret.
 */
export function ensureDevPayloadKeys(file: string, tenantIds: readonly string[]): PayloadKeyring {
  const current: PayloadKeysFile = existsSync(file) ? readKeysFile(file) : { default: randomKeySet(), tenants: {} };
  const missing = tenantIds.filter((id) => !(id in current.tenants));
  if (missing.length > 0 || !existsSync(file)) {
    for (const id of missing) current.tenants[id] = randomKeySet();
    mkdirSync(dirname(file), { recursive: true });
    const header = '# Development payload keys (random, made by `npm start` or the tests). Never commit; production provisions its own.\n';
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, header + stringify(current), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  }
  return PayloadKeyring.from(current);
}

/** The keyring a composition root uses: the configured file, refusing to start when a served tenant has no key. */
export function loadConfiguredKeyring(settings: { keysFile: string }, servedTenantIds: readonly string[]): PayloadKeyring {
  const keyring = loadPayloadKeyring(settings.keysFile);
  keyring.requireTenants(servedTenantIds, settings.keysFile);
  return keyring;
}
