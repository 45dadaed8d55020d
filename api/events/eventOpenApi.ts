/** Event intake in the OpenAPI document: batches of raw events (R1, R3, R12) and the syslog listener's statistics. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { slugSchema } from '../../domain/alert';
import { json, intakeRefusals, refusals } from '../http/openApiParts';
import type { Assert, Describes } from '../http/describes';
import type { SyslogStatsSnapshot } from '../../ingest/syslog/syslogStats';

export const eventsQuerySchema = z.strictObject({
  source: slugSchema.meta({ description: "The registered source the events come from (R1); its kind selects the field mapping" }),
  tenantId: slugSchema.optional().meta({ description: 'Only for keys not bound to a tenant (admin)' }),
});

const rawEvent = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))]))
  .meta({ id: 'RawEvent', description: "A flat object of the vendor's fields; `@timestamp` (ISO 8601) is the event time, else the time of receipt" });

export const eventBatchResultSchema = z
  .object({
    accepted: z.number().int().meta({ description: 'Events evaluated against the detection rules' }),
    refusedCount: z.number().int(),
    refused: z
      .array(z.object({ line: z.number().int(), field: z.string(), reason: z.string() }))
      .meta({ description: 'Refused events (the first 1000): NDJSON line number or JSON array position (1-based), the raw field, why' }),
    alerts: z.array(
      z.object({
        alertId: z.string(),
        statusUrl: z.string(),
        ruleId: z.string(),
        ruleTitle: z.string(),
        level: z.string(),
        entity: z.object({ field: z.string(), value: z.string() }),
        windowStart: z.string(),
        hits: z.number().int().meta({ description: "This batch's hits counted into the incident" }),
        outcome: z.enum(['signalled', 'incident_closed']),
      }),
    ),
  })
  .meta({ id: 'EventBatchResult' });

export const syslogStatsSchema = z
  .object({
    enabled: z.boolean(),
    udpPort: z.number().int().nullable(),
    tcpPort: z.number().int().nullable(),
    tlsPort: z.number().int().nullable(),
    received: z.number().int(),
    accepted: z.number().int(),
    ignored: z.number().int(),
    unknownSender: z.number().int(),
    unparseable: z.number().int(),
    refused: z.number().int(),
    dispatchFailed: z.number().int(),
    unknownSenders: z.array(z.object({ address: z.string(), count: z.number().int(), lastAt: z.string() })),
    recentUnparseable: z.array(z.object({ at: z.string(), from: z.string(), transport: z.enum(['udp', 'tcp', 'tls']), reason: z.string(), line: z.string() })),
  })
  .meta({ id: 'SyslogStats' });

export function registerEventPaths(registry: OpenAPIRegistry, secured: { apiKey: string[] }[]): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/events',
    summary: 'Submit a batch of raw events of a registered source; streamed, evaluated against the Sigma rules, hits correlated into incidents',
    security: secured,
    request: {
      query: eventsQuerySchema,
      body: {
        required: true,
        content: {
          'application/x-ndjson': { schema: rawEvent },
          'application/json': { schema: z.union([z.array(rawEvent), z.strictObject({ events: z.array(rawEvent) })]) },
        },
      },
    },
    responses: { 200: json(eventBatchResultSchema, 'Per-batch result: accepted, refused (line, field, reason), incidents signalled'), ...refusals, ...intakeRefusals },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/ingest/syslog',
    summary: "The syslog listener's counters, unknown senders and the most recent unparseable lines (admin)",
    security: secured,
    responses: { 200: json(syslogStatsSchema, 'Statistics'), 401: refusals[401], 403: refusals[403] },
  });
}

/** Compile-time: each response schema here publishes what its service answers (api/http/describes.ts). */
export type EventSchemasDescribeDomain = [
  Assert<Describes<typeof syslogStatsSchema, SyslogStatsSnapshot>>,
];
