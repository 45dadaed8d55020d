/**
 * The pull of a tenant's Microsoft 365 security alerts (`GET /security/alerts_v2`, Graph v1.0) since a stored
 * watermark, following `@odata.nextLink`. Graph does not order this listing, so the whole answer is read before
 * the watermark moves; the filter is `ge` (not `gt`) so an alert updated in the same instant as the last one seen
 * is not lost, and the ids already delivered at that instant are skipped: an overlap yields no duplicates.
 */
import { z } from 'zod';
import type { GraphSession } from '../response/graph/graphSession';

const utcTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?(?:Z|\+00:00)$/, 'an ISO-8601 UTC timestamp');

/** Where the last pull stopped: the newest `lastUpdateDateTime` delivered and the alert ids delivered with it. */
export const graphAlertWatermarkSchema = z.strictObject({
  lastUpdateDateTime: utcTimestamp,
  idsAtWatermark: z.array(z.string()),
});
export type GraphAlertWatermark = z.infer<typeof graphAlertWatermarkSchema>;

/**
 * The fields the pull itself reads (Graph's microsoft.graph.security.alert); the rest pass through untouched, for
 * the full alert mapping (ingest/defender/graphAlertSchema.ts, mapDefenderAlert) to parse.
 */
export const graphAlertSchema = z.looseObject({
  id: z.string().min(1),
  title: z.string().nullable().optional(),
  severity: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  serviceSource: z.string().nullable().optional(),
  createdDateTime: z.string().nullable().optional(),
  lastUpdateDateTime: utcTimestamp,
});
export type GraphAlert = z.infer<typeof graphAlertSchema>;

const alertPageSchema = z.object({ value: z.array(graphAlertSchema), '@odata.nextLink': z.string().optional() });

export interface AlertPull {
  /** New alerts and alerts updated since the watermark, each (id, lastUpdateDateTime) once. */
  alerts: GraphAlert[];
  /** Store it and pass it to the next pull; unchanged when nothing new came. */
  watermark: GraphAlertWatermark | null;
  pages: number;
}

const PAGE_SIZE = 100;
/** A runaway nextLink chain (a vendor bug) fails the pull instead of reading forever. */
const MAX_PAGES = 1000;

/** `since` is where the first pull of a tenant starts (no watermark yet), as ISO-8601 UTC. */
export async function pullAlertsSince(graph: GraphSession, watermark: GraphAlertWatermark | null, since: string): Promise<AlertPull> {
  const from = watermark?.lastUpdateDateTime ?? since;
  const delivered = new Set(watermark?.idsAtWatermark ?? []);
  const fromKey = timeKey(from);
  const alerts: GraphAlert[] = [];
  let newest = watermark;
  let next: string | undefined = `/security/alerts_v2?$filter=lastUpdateDateTime ge ${from}&$top=${PAGE_SIZE}`;
  let pages = 0;
  while (next !== undefined) {
    if (++pages > MAX_PAGES) throw new Error(`Graph alerts_v2 listing has more than ${MAX_PAGES} pages`);
    const page: z.output<typeof alertPageSchema> = await graph.call('GET', next, alertPageSchema, undefined, '/security/alerts_v2');
    for (const alert of page.value) {
      const key = timeKey(alert.lastUpdateDateTime);
      // Already delivered in the last pull (same instant as the watermark), or older than asked (a lenient server).
      if (key < fromKey || (key === fromKey && delivered.has(alert.id))) continue;
      if (alerts.some((a) => a.id === alert.id && a.lastUpdateDateTime === alert.lastUpdateDateTime)) continue;
      alerts.push(alert);
      newest = advance(newest, alert);
    }
    next = page['@odata.nextLink'];
  }
  return { alerts, watermark: newest, pages };
}

function advance(watermark: GraphAlertWatermark | null, alert: GraphAlert): GraphAlertWatermark {
  if (watermark === null) return { lastUpdateDateTime: alert.lastUpdateDateTime, idsAtWatermark: [alert.id] };
  const current = timeKey(watermark.lastUpdateDateTime);
  const key = timeKey(alert.lastUpdateDateTime);
  if (key > current) return { lastUpdateDateTime: alert.lastUpdateDateTime, idsAtWatermark: [alert.id] };
  if (key === current && !watermark.idsAtWatermark.includes(alert.id)) return { ...watermark, idsAtWatermark: [...watermark.idsAtWatermark, alert.id] };
  return watermark;
}

/** Graph writes 0 to 7 fractional digits (`...:05Z`, `...:05.1234567Z`); padded, the keys compare as text. */
export function timeKey(timestamp: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?(?:Z|\+00:00)$/.exec(timestamp);
  if (!match) throw new Error(`not an ISO-8601 UTC timestamp: ${timestamp}`);
  return `${match[1]}.${(match[2] ?? '').padEnd(7, '0')}`;
}
