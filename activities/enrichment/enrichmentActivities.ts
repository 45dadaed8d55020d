/**
 * IoC enrichment activities: one per provider, each scheduled on its provider's task queue (Temporal keeps its calls
 * per minute, e.g. 4 for VirusTotal's public key). An answer is cached per provider and indicator for a time to live
 * in the engine's store, so one indicator seen in many alerts costs one call. Only an indicator is sent, checked
 * again here: a public address, a hash, a domain, or a URL without query or user info (R20, no personal data).
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { PROVIDER_KINDS, type EnrichmentProvider, type EnrichmentResult } from '../../domain/enrichment/enrichmentResult';
import { isPublicAddress, shareableUrl, type Indicator } from '../../domain/enrichment/indicators';
import type { IndicatorCache } from '../../stores/indicatorCache';
import { lookUpAbuseIpDb } from './abuseIpDb';
import { lookUpMisp } from './misp';
import { lookUpVirusTotal } from './virusTotal';

export interface EnrichmentProviderSettings {
  baseUrl: string;
  /** The API key, resolved from its secret reference on each call. */
  apiKey: () => string;
}

export interface EnrichmentDeps {
  providers: Partial<Record<EnrichmentProvider, EnrichmentProviderSettings>>;
  cache: IndicatorCache;
  ttlMs: number;
  now: () => Date;
}

const indicatorSchema = z
  .strictObject({ kind: z.enum(['ip', 'domain', 'url', 'file']), value: z.string().min(1).max(2048) })
  .refine((i) => i.kind !== 'ip' || isPublicAddress(i.value), 'an ip indicator must be a public address')
  .refine((i) => i.kind !== 'file' || /^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/.test(i.value), 'a file indicator must be a lower-case MD5, SHA-1 or SHA-256')
  .refine((i) => i.kind !== 'domain' || /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$/i.test(i.value), 'a domain indicator must be a domain name')
  .refine((i) => i.kind !== 'url' || shareableUrl(i.value, []) === i.value, 'a url indicator must be an http(s) URL without query, fragment or user info');

const LOOK_UPS = { virustotal: lookUpVirusTotal, abuseipdb: lookUpAbuseIpDb, misp: lookUpMisp } as const;

export function createEnrichmentActivities(deps: EnrichmentDeps | undefined) {
  const enrich = async (provider: EnrichmentProvider, input: { indicator: Indicator }): Promise<EnrichmentResult> => {
    const settings = deps?.providers[provider];
    if (!deps || !settings) throw ApplicationFailure.nonRetryable(`${provider} enrichment is not configured`, 'IntegrationNotConfigured');
    const parsed = indicatorSchema.safeParse(input.indicator);
    if (!parsed.success) throw ApplicationFailure.nonRetryable(`Not sent to ${provider}: ${z.prettifyError(parsed.error)}`, 'InvalidIndicator');
    const indicator = parsed.data;
    if (!PROVIDER_KINDS[provider].includes(indicator.kind)) throw ApplicationFailure.nonRetryable(`${provider} is not asked about ${indicator.kind} indicators`, 'InvalidIndicator');
    const key = `${provider}:${indicator.kind}:${indicator.value}`;
    const now = deps.now();
    const cached = await deps.cache.get(key, now.getTime());
    if (cached !== null) return { ...(JSON.parse(cached) as Omit<EnrichmentResult, 'fromCache'>), fromCache: true };
    const answer = await LOOK_UPS[provider]({ baseUrl: settings.baseUrl, apiKey: settings.apiKey() }, indicator);
    const result: EnrichmentResult = { provider, indicator, ...answer, checkedAt: now.toISOString(), fromCache: false };
    const { fromCache: _fromCache, ...stored } = result;
    await deps.cache.put(key, JSON.stringify(stored), now.getTime() + deps.ttlMs, now.getTime());
    return result;
  };
  const configured = (Object.keys(LOOK_UPS) as EnrichmentProvider[]).filter((p) => deps?.providers[p] !== undefined);
  const enrichVirusTotal = (input: { tenantId: string; indicator: Indicator }) => enrich('virustotal', input);
  const enrichAbuseIpDb = (input: { tenantId: string; indicator: Indicator }) => enrich('abuseipdb', input);
  const enrichMisp = (input: { tenantId: string; indicator: Indicator }) => enrich('misp', input);
  return {
    /** The providers this deployment configured (none: enrichment is off and the workflow sends nothing). */
    async enrichmentProviders(): Promise<EnrichmentProvider[]> {
      return configured;
    },
    // A provider that is not configured has no activity, so its vendor worker is not started (no idle pollers).
    ...(configured.includes('virustotal') ? { enrichVirusTotal } : {}),
    ...(configured.includes('abuseipdb') ? { enrichAbuseIpDb } : {}),
    ...(configured.includes('misp') ? { enrichMisp } : {}),
  };
}
