/**
 * The indicators an alert may send to enrichment providers: only indicators, never personal data (R20). Public IP
 * addresses, file hashes, and URLs reduced to scheme, host and path (a query or fragment may carry a person's data,
 * an address with user info or an `@` in its path is left out), with their domains. Never user names, e-mail
 * addresses, host names, command lines or private addresses. Pure: the workflow picks them, the activities send them.
 */
import ipaddr from 'ipaddr.js';
import type { NormalisedAlert } from '../alert';

export const INDICATOR_KINDS = ['ip', 'domain', 'url', 'file'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export interface Indicator {
  kind: IndicatorKind;
  /** An IP address, a domain, an http(s) URL without query, or a lower-case SHA-256/SHA-1/MD5. */
  value: string;
}

/** At most this many indicators per alert go out (the public VirusTotal key allows 4 requests a minute). */
export const MAX_INDICATORS = 20;

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'unicast';
}

/** The URL as it may leave the engine (scheme, host, path), or null when it might carry a person's data. */
export function shareableUrl(text: string, personal: readonly string[]): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return null;
  const kept = `${url.protocol}//${url.host}${url.pathname}`;
  let lower: string;
  try {
    lower = decodeURIComponent(kept).toLowerCase();
  } catch {
    return null; // malformed escapes: not sent rather than guessed at
  }
  if (lower.includes('@') || personal.some((p) => p.length >= 3 && lower.includes(p))) return null;
  return kept;
}

/** The alert's indicators, each once, in a stable order, at most MAX_INDICATORS. */
export function indicatorsOf(alert: Pick<NormalisedAlert, 'entities'>): Indicator[] {
  const { entities } = alert;
  const personal = [
    ...entities.users.flatMap((u) => [u.name, u.upn].filter((v): v is string => typeof v === 'string')),
    ...entities.hosts.map((h) => h.hostname),
  ].map((v) => v.toLowerCase());
  const found: Indicator[] = [];
  const add = (kind: IndicatorKind, value: string) => {
    if (!found.some((i) => i.kind === kind && i.value === value)) found.push({ kind, value });
  };
  for (const ip of entities.ips) if (isPublicAddress(ip.address)) add('ip', ipaddr.process(ip.address).toString());
  for (const file of entities.files) {
    const hash = file.sha256 ?? file.sha1 ?? file.md5;
    if (hash) add('file', hash.toLowerCase());
  }
  for (const { url } of entities.urls) {
    const kept = shareableUrl(url, personal);
    if (!kept) continue;
    add('url', kept);
    const host = new URL(kept).hostname;
    if (ipaddr.isValid(host.replace(/^\[|\]$/g, ''))) {
      if (isPublicAddress(host.replace(/^\[|\]$/g, ''))) add('ip', host.replace(/^\[|\]$/g, ''));
    } else if (host.includes('.') && !personal.includes(host)) add('domain', host);
  }
  return found.slice(0, MAX_INDICATORS);
}
