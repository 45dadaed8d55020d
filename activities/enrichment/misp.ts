/**
 * MISP REST attribute search (`POST {MISP}/attributes/restSearch` with `{ returnFormat: 'json', value, limit }`,
 * the automation key in `Authorization`). An attribute flagged `to_ids` makes the indicator malicious, any other
 * match suspicious; no match says nothing (unknown).
 */
import { z } from 'zod';
import type { EnrichmentResult } from '../../domain/enrichment/enrichmentResult';
import type { Indicator } from '../../domain/enrichment/indicators';
import { providerRequest } from './providerRequest';

const answerSchema = z.object({
  response: z.object({
    Attribute: z.array(z.object({ to_ids: z.boolean().default(false), Event: z.object({ info: z.string().optional() }).optional() })).default([]),
  }),
});

export async function lookUpMisp(settings: { baseUrl: string; apiKey: string }, indicator: Indicator): Promise<Pick<EnrichmentResult, 'finding' | 'summary'>> {
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/attributes/restSearch`;
  const answer = await providerRequest(
    'MISP',
    url,
    {
      method: 'POST',
      headers: { Authorization: settings.apiKey, accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ returnFormat: 'json', value: indicator.value, limit: 50 }),
    },
    settings.apiKey,
  );
  const parsed = answerSchema.safeParse(answer.body);
  const attributes = parsed.success ? parsed.data.response.Attribute : [];
  if (attributes.length === 0) return { finding: 'unknown', summary: 'no MISP attribute matches' };
  const forIds = attributes.filter((a) => a.to_ids).length;
  const events = [...new Set(attributes.map((a) => a.Event?.info).filter((i): i is string => Boolean(i)))].slice(0, 3);
  return {
    finding: forIds > 0 ? 'malicious' : 'suspicious',
    summary: `${attributes.length} MISP attribute(s), ${forIds} for IDS${events.length > 0 ? `: ${events.join('; ').slice(0, 200)}` : ''}`,
  };
}
