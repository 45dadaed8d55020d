/**
 * Signs caller assertions (domain/callerAssertion.ts) for the Updates the engine sends. The Ed25519 signing keys are
 * derived (HKDF, purpose `caller-assertions`) from every version of the SOC default key in SOAR_PAYLOAD_KEYS_FILE:
 * the file the API and the worker already hold as a secret, generated for development and tests, rotated with the
 * default key's versions; a raw Temporal client does not have it. Every assertion carries one signature per version,
 * so a workflow started before a rotation (trusting only the older public key) still accepts the API's Updates.
 */
import { randomUUID } from 'node:crypto';
import { argumentDigest, publicKeyOf, signClaims, type CallerAssertion, type TrustedCallerKeys } from '../../domain/callerAssertion';
import type { PayloadKeyring } from './payloadKeys';

export const CALLER_KEY_PURPOSE = 'caller-assertions';

export interface Caller {
  principal: string;
  role: string;
  tenant: string | null;
}

export class CallerSigner {
  private readonly keys: { keyId: string; seed: Uint8Array }[];
  readonly trustedKeys: TrustedCallerKeys;

  constructor(keyring: PayloadKeyring, private readonly now: () => Date = () => new Date()) {
    this.keys = keyring.derivedKeysOfEveryVersion(CALLER_KEY_PURPOSE).map(({ keyId, key }) => ({ keyId, seed: new Uint8Array(key) }));
    this.trustedKeys = Object.fromEntries(this.keys.map(({ keyId, seed }) => [keyId, publicKeyOf(seed)]));
  }

  /** The Update's options: the argument with its signed `caller`, and the Update id the assertion is bound to. */
  update<A extends object>(caller: Caller, workflowId: string, update: { name: string }, argument: A, updateId: string = randomUUID()): { updateId: string; args: [A & { caller: CallerAssertion }] } {
    const claims = { ...caller, workflowId, update: update.name, updateId, argumentDigest: argumentDigest(argument), issuedAt: this.now().toISOString() };
    return { updateId, args: [{ ...argument, caller: signClaims(claims, this.keys) }] };
  }
}
