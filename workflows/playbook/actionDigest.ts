/**
 * The digest an approval is bound to: SHA-256 over a canonical form of the run, step, action, target, subject and
 * parameters. A pure library (no Node built-ins in workflows); the same input gives the same digest on every replay.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/** JSON with object keys sorted at every level, so that equal values always serialise alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function actionDigest(parts: { run: string; step: string; action: string; target: unknown; subject: unknown; params: unknown }): string {
  return `sha256:${bytesToHex(sha256(utf8ToBytes(canonicalJson(parts))))}`;
}
