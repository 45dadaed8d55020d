/** What an enrichment provider said about one indicator: recorded in the alert (evidence, decision trail) and offered to the analyst's IoC check. */
import type { IOC_FINDINGS, IOC_TYPES } from '../alertLifecycle';
import type { Indicator, IndicatorKind } from './indicators';

export const ENRICHMENT_PROVIDERS = ['virustotal', 'abuseipdb', 'misp'] as const;
export type EnrichmentProvider = (typeof ENRICHMENT_PROVIDERS)[number];

/** Which indicators each provider is asked about. */
export const PROVIDER_KINDS: Readonly<Record<EnrichmentProvider, readonly IndicatorKind[]>> = {
  virustotal: ['ip', 'domain', 'url', 'file'],
  abuseipdb: ['ip'],
  misp: ['ip', 'domain', 'url', 'file'],
};

export const PROVIDER_NAMES: Readonly<Record<EnrichmentProvider, string>> = { virustotal: 'VirusTotal', abuseipdb: 'AbuseIPDB', misp: 'MISP' };

export interface EnrichmentResult {
  provider: EnrichmentProvider;
  indicator: Indicator;
  finding: (typeof IOC_FINDINGS)[number];
  /** The provider's figures in one line (e.g. "12 of 94 engines: malicious"), in English like the timeline. */
  summary: string;
  /** When the provider answered (a cached answer keeps its time). */
  checkedAt: string;
  fromCache: boolean;
}

/** The IoC check's type for an indicator (the analyst's form): a file's hash by its length. */
export function iocTypeOf(indicator: Indicator): (typeof IOC_TYPES)[number] {
  if (indicator.kind !== 'file') return indicator.kind;
  return indicator.value.length === 64 ? 'sha256' : indicator.value.length === 40 ? 'sha1' : 'md5';
}

const RANK = { unknown: 0, clean: 1, suspicious: 2, malicious: 3 } as const;

/** The pre-filled finding of an indicator: the gravest any provider gave (the analyst confirms or corrects it). */
export function suggestedFinding(results: readonly EnrichmentResult[]): EnrichmentResult['finding'] {
  return results.reduce<EnrichmentResult['finding']>((worst, r) => (RANK[r.finding] > RANK[worst] ? r.finding : worst), 'unknown');
}
