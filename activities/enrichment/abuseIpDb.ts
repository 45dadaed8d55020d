/**
 * AbuseIPDB API v2 check (https://api.abuseipdb.com/api/v2/check?ipAddress=...&maxAgeInDays=90), key in the `Key`
 * header. The verdict comes from `data.abuseConfidenceScore` (0-100) and `data.totalReports`.
 */
import { z } from 'zod';
import type { EnrichmentResult } from '../../domain/enrichment/enrichmentResult';
import type { Indicator } from '../../domain/enrichment/indicators';
import { providerRequest } from './providerRequest';

const answerSchema = z.object({ data: z.object({ abuseConfidenceScore: z.number(), totalReports: z.number().default(0) }) });

export async function lookUpAbuseIpDb(settings: { baseUrl: string; apiKey: string }, indicator: Indicator): Promise<Pick<EnrichmentResult, 'finding' | 'summary'>> {
  const query = new URLSearchParams({ ipAddress: indicator.value, maxAgeInDays: '90' });
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/api/v2/check?${query}`;
  const answer = await providerRequest('AbuseIPDB', url, { headers: { Key: settings.apiKey, accept: 'application/json' } }, settings.apiKey);
  const parsed = answerSchema.safeParse(answer.body);
  if (!parsed.success) return { finding: 'unknown', summary: 'AbuseIPDB answered without a confidence score' };
  const { abuseConfidenceScore: score, totalReports } = parsed.data.data;
  const finding = score >= 75 ? 'malicious' : score >= 25 ? 'suspicious' : 'clean';
  return { finding, summary: `abuse confidence ${score}%, ${totalReports} report(s) in 90 days` };
}
