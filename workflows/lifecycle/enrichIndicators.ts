/**
 * IoC enrichment beside triage: the alert's indicators (never personal data, domain/enrichment/indicators.ts) go to
 * each configured provider on its own task queue (rate-limited by Temporal there, the tenant as fairness key); each
 * answer is recorded in the alert (evidence, and the IoC check it pre-fills) and in its timeline (the decision
 * trail). A provider that fails for good is recorded too. The analyst's triage never waits for it.
 */
import { ActivityFailure, ApplicationFailure, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../../activities';
import { PROVIDER_KINDS, PROVIDER_NAMES, type EnrichmentProvider, type EnrichmentResult } from '../../domain/enrichment/enrichmentResult';
import { indicatorsOf, type Indicator } from '../../domain/enrichment/indicators';
import { localPipeline, vendorRequest } from '../activityProfiles';
import type { AlertRecord } from '../alertRecord';
import { vendorCallOptions } from '../playbook/vendorActivities';

/** A look-up in the worker's own configuration: a local activity (no task round trip). */
const { enrichmentProviders } = proxyLocalActivities<AlertActivities>(localPipeline);

/** Histories from before enrichment replay without its activities. */
const ENRICHMENT_PATCH = 'ioc-enrichment';

const ACTIVITY = { virustotal: 'enrichVirusTotal', abuseipdb: 'enrichAbuseIpDb', misp: 'enrichMisp' } as const satisfies Record<EnrichmentProvider, keyof AlertActivities>;

type Enrich = (input: { tenantId: string; indicator: Indicator }) => Promise<EnrichmentResult>;

export async function enrichIndicators(alert: AlertRecord): Promise<void> {
  if (!patched(ENRICHMENT_PATCH)) return;
  const indicators = indicatorsOf(alert.input.alert);
  if (indicators.length === 0) return;
  const providers = await enrichmentProviders();
  if (providers.length === 0) return;
  const tenantId = alert.status.tenantId;
  const results = (alert.status.enrichment ??= []);
  const asks = providers.flatMap((provider) => indicators.filter((i) => PROVIDER_KINDS[provider].includes(i.kind)).map((indicator) => ({ provider, indicator })));
  await Promise.all(
    asks.map(async ({ provider, indicator }) => {
      const enrich = proxyActivities<Record<string, Enrich>>(vendorCallOptions(vendorRequest, provider, tenantId))[ACTIVITY[provider]] as Enrich;
      try {
        const result = await enrich({ tenantId, indicator });
        results.push(result);
        const cached = result.fromCache ? ` (cached answer of ${result.checkedAt})` : '';
        alert.record('analysed', `enrichment:${provider}`, `${PROVIDER_NAMES[provider]}: ${indicator.kind} ${indicator.value} ${result.finding}: ${result.summary}${cached}`);
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        const cause = error.cause instanceof ApplicationFailure ? `${error.cause.type ?? 'Error'}: ${error.cause.message}` : String(error.cause?.message ?? error.message);
        alert.record('analysed', `enrichment:${provider}`, `${PROVIDER_NAMES[provider]} could not check ${indicator.kind} ${indicator.value}: ${cause}`);
      }
    }),
  );
}
