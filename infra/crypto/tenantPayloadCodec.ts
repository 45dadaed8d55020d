/**
 * The Temporal payload codec: every workflow and activity payload is encrypted with AES-256-GCM under the key of
 * the tenant it belongs to (a random 12-byte IV per payload, the 16-byte tag kept), so alert content is unreadable
 * in the Temporal database and its backups; deleting a tenant's keys makes its payloads unreadable (R14).
 *
 * Which tenant: the workflow id the SDK hands over as serialization context (`tenantWorkflowId`: `alert.<tenant>.…`, its
 * playbook runs `alert.<tenant>.….run-<n>`, `workorder.<tenant>.…`, `leak-check.<tenant>.…`, `graph-pull.<tenant>.…`),
 * else a tenant marker at the top level of the payload's JSON (`tenantId`, `tenant.id`, `alert.tenantId`,
 * `status.tenantId`, an `alertId`), else none: the SOC default key.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKeyring } from './payloadKeys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const utf8 = new TextEncoder();
const text = new TextDecoder();

/** Thrown when an encrypted payload fails authentication: its ciphertext, IV, tag or key id was altered. */
export class PayloadAuthenticationError extends Error {
  override readonly name = 'PayloadAuthenticationError';
  constructor(readonly keyId: string) {
    super(`Payload encrypted under '${keyId}' failed authentication: it was altered or is not what that key encrypted`);
  }
}

/**
 * The one rule for ids of workflows that carry a tenant's data: `<kind>.<tenant>.<rest>`, the tenant followed by a dot
 * (tenant ids contain hyphens, and Temporal appends `-<timestamp>` to the ids of scheduled runs, so only the dot ends
 * the tenant unambiguously). Every such workflow is encrypted under its tenant's key; other ids get the default key.
 */
export const TENANT_WORKFLOW_KINDS = ['alert', 'workorder', 'leak-check', 'graph-pull'] as const;
export type TenantWorkflowKind = (typeof TENANT_WORKFLOW_KINDS)[number];

export function tenantWorkflowId(kind: TenantWorkflowKind, tenantId: string, rest: string): string {
  return `${kind}.${tenantId}.${rest}`;
}

const OWNED_WORKFLOW_ID = new RegExp(`^(?:${TENANT_WORKFLOW_KINDS.join('|')})\\.([a-z0-9-]+)\\.`);

/** The tenant a workflow id belongs to, when the engine's id scheme names one. */
export function tenantOfWorkflowId(workflowId: string | undefined): string | null {
  return (workflowId && OWNED_WORKFLOW_ID.exec(workflowId)?.[1]) || null;
}

/** The tenant a decoded payload value names at its top level, or null. */
export function tenantMarkerOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const nested = (key: string, inner: string) => {
    const o = v[key];
    return typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[inner] : undefined;
  };
  for (const candidate of [v['tenantId'], nested('tenant', 'id'), nested('alert', 'tenantId'), nested('status', 'tenantId')]) {
    if (typeof candidate === 'string' && /^[a-z0-9-]+$/.test(candidate)) return candidate;
  }
  for (const id of [v['alertId'], v['workflowId']]) {
    if (typeof id === 'string') {
      const tenant = tenantOfWorkflowId(id);
      if (tenant) return tenant;
    }
  }
  return null;
}

function tenantOfPayload(payload: Payload): string | null {
  const encoding = payload.metadata?.['encoding'];
  if (!encoding || text.decode(encoding) !== 'json/plain' || !payload.data) return null;
  try {
    return tenantMarkerOf(JSON.parse(text.decode(payload.data)));
  } catch {
    return null;
  }
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.['encoding'];
  return !!encoding && text.decode(encoding) === ENCRYPTED_ENCODING;
}

/** The key id an encrypted payload names, or null for a payload this codec did not encrypt. */
export function keyIdOfPayload(payload: Payload): string | null {
  const keyId = payload.metadata?.[KEY_ID_METADATA];
  return isEncrypted(payload) && keyId ? text.decode(keyId) : null;
}

export class TenantPayloadCodec implements PayloadCodec {
  constructor(private readonly keyring: PayloadKeyring) {}

  /**
   * Each key as a KeyObject, made once: given raw bytes, node:crypto makes one for every cipher, which was most of the
   * cost of encrypting a payload of a few KiB (issue 18). By the key's bytes as the keyring holds them, so a key the
   * keyring no longer has is refused by the keyring as before.
   */
  private readonly keyObjects = new WeakMap<Buffer, KeyObject>();

  private keyObject(key: Buffer): KeyObject {
    let made = this.keyObjects.get(key);
    if (!made) {
      made = createSecretKey(key);
      this.keyObjects.set(key, made);
    }
    return made;
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const fromContext = tenantOfWorkflowId(context?.workflowId);
    return payloads.map((payload) => this.encrypt(payload, fromContext ?? tenantOfPayload(payload)));
  }

  /** Payloads this codec did not encrypt (older, unencrypted histories) pass through unchanged. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  encrypt(payload: Payload, tenantId: string | null): Payload {
    const { keyId, key } = this.keyring.activeKey(tenantId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyObject(key), iv, { authTagLength: TAG_BYTES });
    // The key id is authenticated data: a payload moved under another key id fails, it is not misread.
    cipher.setAAD(utf8.encode(keyId));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return { metadata: { encoding: utf8.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8.encode(keyId) }, data };
  }

  decrypt(payload: Payload): Payload {
    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
    if (!keyIdBytes) throw new PayloadAuthenticationError('(no key id)');
    const keyId = text.decode(keyIdBytes);
    const key = this.keyring.key(keyId);
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadAuthenticationError(keyId);
    const decipher = createDecipheriv('aes-256-gcm', this.keyObject(key), data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(keyIdBytes);
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadAuthenticationError(keyId);
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}
