/**
 * VirusTotal API v3 (https://www.virustotal.com/api/v3): `GET /files/{hash}`, `/ip_addresses/{ip}`,
 * `/domains/{domain}`, `/urls/{id}` (id: the URL in unpadded base64url), key in the `x-apikey` header. The verdict
 * comes from `data.attributes.last_analysis_stats`; 404 NotFoundError means VirusTotal has not seen it.
 */
import { z } from 'zod';
import type { EnrichmentResult } from '../../domain/enrichment/enrichmentResult';
import type { Indicator } from '../../domain/enrichment/indicators';
import { providerRequest } from './providerRequest';

const PATHS: Readonly<Record<Indicator['kind'], string>> = { file: 'files', ip: 'ip_addresses', domain: 'domains', url: 'urls' };

const answerSchema = z.object({
  data: z.object({
    attributes: z.object({
      last_analysis_stats: z.object({ malicious: z.number(), suspicious: z.number(), harmless: z.number().default(0), undetected: z.number().default(0) }).optional(),
      reputation: z.number().optional(),
    }),
  }),
});

export function virusTotalPath(indicator: Indicator): string {
  const id = indicator.kind === 'url' ? Buffer.from(indicator.value).toString('base64url') : encodeURIComponent(indicator.value);
  return `/${PATHS[indicator.kind]}/${id}`;
}

export async function lookUpVirusTotal(settings: { baseUrl: string; apiKey: string }, indicator: Indicator): Promise<Pick<EnrichmentResult, 'finding' | 'summary'>> {
  const url = `${settings.baseUrl.replace(/\/+$/, '')}${virusTotalPath(indicator)}`;
  const answer = await providerRequest('VirusTotal', url, { headers: { 'x-apikey': settings.apiKey, accept: 'application/json' } }, settings.apiKey, [404]);
  if (answer.status === 404) return { finding: 'unknown', summary: 'not known to VirusTotal' };
  const parsed = answerSchema.safeParse(answer.body);
  const stats = parsed.success ? parsed.data.data.attributes.last_analysis_stats : undefined;
  if (!stats) return { finding: 'unknown', summary: 'VirusTotal has no analysis yet' };
  const engines = stats.malicious + stats.suspicious + stats.harmless + stats.undetected;
  const finding = stats.malicious >= 3 ? 'malicious' : stats.malicious + stats.suspicious > 0 ? 'suspicious' : 'clean';
  return { finding, summary: `${stats.malicious} of ${engines} engines malicious, ${stats.suspicious} suspicious` };
}
