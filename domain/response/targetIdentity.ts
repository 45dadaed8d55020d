/**
 * Verified targets (R8): a measure acts only on what the vendor confirms. The alert names a user or host and may carry
 * the vendor's id for it; the engine looks the id (or, without one, the name) up at the vendor and compares the names.
 * Pure and deterministic: it runs inside playbook workflows and replays to the same answer (R18).
 *
 * Name rules (all comparisons case-insensitive, surrounding blanks and one trailing dot of a DNS name ignored):
 * - host: equal names match; a short name (no dot) matches an FQDN whose first label it is (`ws-0042` and
 *   `ws-0042.rheinwerk.local`); two FQDNs must be equal (`ws-0042.a.local` is not `ws-0042.b.local`);
 * - user: the alert's name matches the vendor's UPN, the user's primary `mail`, or one of its `proxyAddresses`
 *   (`smtp:`/`SMTP:` aliases, which Exchange guarantees unique in the directory); a name without `@` matches only the
 *   UPN's local part. `otherMails` never count: users can set them themselves.
 * After a match, the release matrix and the action see the vendor's identity (its DNS name or UPN), never the alert's text.
 */
import type { TargetFacts } from './actionContract';
import { describeTarget, type ResolvedTarget } from './targets';

export type IdentityCheck = { verified: true; target: ResolvedTarget } | { verified: false; reason: string };

/** Compares what the alert claimed with what the vendor answered; the verified target carries the vendor's name. */
export function verifyIdentity(claimed: ResolvedTarget, facts: TargetFacts): IdentityCheck {
  if (claimed.kind !== 'user' && claimed.kind !== 'host') return { verified: true, target: facts.target };
  const vendorName = facts.identity?.name ?? null;
  if (vendorName === null || vendorName.trim() === '') {
    return { verified: false, reason: `R8: the vendor gives no name for ${describeTarget(claimed)}${idNote(facts.target)}, so the target cannot be verified` };
  }
  const matches = claimed.kind === 'host' ? hostNamesMatch(claimed.hostname, vendorName) : userNamesMatch(claimed.upn, vendorName, facts.identity?.aliases ?? []);
  if (!matches) {
    const what = claimed.kind === 'host' ? 'machine' : 'user';
    return {
      verified: false,
      reason: `R8: the alert names ${describeTarget(claimed)}, but the vendor's ${what}${idNote(facts.target)} is ${vendorName}: not the same ${what}, nothing is done`,
    };
  }
  const name = normalise(vendorName);
  return { verified: true, target: facts.target.kind === 'host' ? { ...facts.target, hostname: name } : facts.target.kind === 'user' ? { ...facts.target, upn: name } : facts.target };
}

export function hostNamesMatch(alertName: string, vendorName: string): boolean {
  const a = normalise(alertName);
  const v = normalise(vendorName);
  if (a === '' || v === '') return false;
  if (a === v) return true;
  const aShort = !a.includes('.');
  const vShort = !v.includes('.');
  if (aShort === vShort) return false;
  return aShort ? v.split('.')[0] === a : a.split('.')[0] === v;
}

export function userNamesMatch(alertName: string, vendorUpn: string, aliases: readonly string[]): boolean {
  const a = normalise(alertName);
  const upn = normalise(vendorUpn);
  if (a === '' || upn === '') return false;
  if (!a.includes('@')) return upn.split('@')[0] === a;
  return a === upn || aliases.some((alias) => normalise(alias.replace(/^smtp:/i, '')) === a);
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

function idNote(target: ResolvedTarget): string {
  if (target.kind === 'host' && target.machineId) return ` ${target.machineId}`;
  if (target.kind === 'user' && target.objectId) return ` ${target.objectId}`;
  return '';
}
