/**
 * Signed caller assertions (issue 15): Temporal access is an admin boundary, and a raw Temporal client could otherwise
 * send an Update that names any analyst. The API (and the worker's retention job) sign who calls, on which workflow,
 * which Update with which argument; the workflow's validator verifies the signature with public keys it received in
 * its input and refuses anything else, leaving no history event. Pure and deterministic (Ed25519 of @noble/curves,
 * SHA-256 of @noble/hashes): the same code signs in the API and verifies inside the workflow sandbox.
 */
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';

/** What the signer vouches for. `updateId` binds the assertion to one Update: a captured one cannot be sent twice. */
export interface CallerClaims {
  principal: string;
  role: string;
  /** The principal's tenant (tenant-bound roles), else null. */
  tenant: string | null;
  workflowId: string;
  update: string;
  updateId: string;
  /** SHA-256 (hex) of the canonical JSON of the Update's argument without its `caller` field. */
  argumentDigest: string;
  issuedAt: string;
}

/** One signature per signing key the signer holds (key rotation: a workflow trusts one or more of them). */
export interface CallerAssertion {
  claims: CallerClaims;
  signatures: { keyId: string; signature: string }[];
}

/** Key id -> Ed25519 public key (hex). Public: safe in a workflow input. */
export type TrustedCallerKeys = Record<string, string>;

const CONTEXT = 'soar-engine caller assertion v1\n';

/** JSON with sorted object keys and no undefined members: the same text for the same value on both sides of Temporal. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function argumentDigest(argument: object): string {
  const { caller: _caller, ...rest } = argument as Record<string, unknown>;
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(rest))));
}

function message(claims: CallerClaims): Uint8Array {
  return utf8ToBytes(CONTEXT + canonicalJson(claims));
}

export function publicKeyOf(seed: Uint8Array): string {
  return bytesToHex(ed25519.getPublicKey(seed));
}

export function signClaims(claims: CallerClaims, keys: readonly { keyId: string; seed: Uint8Array }[]): CallerAssertion {
  return { claims, signatures: keys.map(({ keyId, seed }) => ({ keyId, signature: bytesToHex(ed25519.sign(message(claims), seed)) })) };
}

export class CallerRefusedError extends Error {
  override readonly name = 'CallerRefusedError';
}

export interface ExpectedCall {
  workflowId: string;
  update: string;
  updateId: string | undefined;
  argument: object;
  /** The identity the argument names (analyst, approver); the claims must name the same. */
  principal?: string;
  role?: string;
}

/** Throws CallerRefusedError unless a trusted key signed exactly this call. */
export function verifyCaller(trusted: TrustedCallerKeys, assertion: unknown, expected: ExpectedCall): CallerClaims {
  const refuse = (why: string): never => {
    throw new CallerRefusedError(`${expected.update} refused: the caller is not one the engine's API vouched for (${why})`);
  };
  const a = assertion as Partial<CallerAssertion> | undefined;
  if (!a || typeof a !== 'object' || !a.claims || !Array.isArray(a.signatures)) return refuse('no signed caller assertion');
  const claims = a.claims;
  const valid = a.signatures.some((s) => {
    const key = typeof s?.keyId === 'string' && Object.prototype.hasOwnProperty.call(trusted, s.keyId) ? trusted[s.keyId] : undefined;
    if (!key || typeof s.signature !== 'string' || !/^[0-9a-f]{128}$/.test(s.signature)) return false;
    try {
      return ed25519.verify(hexToBytes(s.signature), message(claims), hexToBytes(key));
    } catch {
      return false;
    }
  });
  if (!valid) return refuse('no signature by a trusted key');
  if (claims.workflowId !== expected.workflowId) return refuse(`signed for workflow ${claims.workflowId}`);
  if (claims.update !== expected.update) return refuse(`signed for ${claims.update}`);
  if (claims.updateId !== expected.updateId) return refuse('signed for another Update id');
  if (claims.argumentDigest !== argumentDigest(expected.argument)) return refuse('the argument is not the one signed');
  if (expected.principal !== undefined && claims.principal !== expected.principal) return refuse(`signed for ${claims.principal}, not ${expected.principal}`);
  if (expected.role !== undefined && claims.role !== expected.role) return refuse(`signed for role ${claims.role}`);
  return claims;
}
