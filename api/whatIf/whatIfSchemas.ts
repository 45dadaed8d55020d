/** Request and response of POST /v1/what-if: the one source of their types and OpenAPI entries. */
import { z } from 'zod';
import type { Assert, Describes } from '../http/describes';
import type { WhatIfReport } from '../../whatIf/whatIfReport';
import type { ShadowReport } from '../../whatIf/shadowReport';

const TENANT_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const content = z.string().min(1).max(512_000);

export const whatIfRequestSchema = z
  .strictObject({
    tenantId: z.string().regex(TENANT_ID, 'a tenant id like mueller-logistik'),
    since: z.string().regex(/^[1-9]\d{0,2}[dh]$/, 'a period like 30d or 12h'),
    change: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('rules'), files: z.array(z.strictObject({ name: z.string().regex(/^[A-Za-z0-9._-]{1,120}\.ya?ml$/, 'a rule file name like my-rule.yml'), content })).min(1).max(2000) }),
      z.strictObject({ kind: z.literal('playbook'), name: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\.yaml$/, 'the playbook file name, <id>.yaml'), content }),
      z.strictObject({ kind: z.literal('tenant'), content }),
    ]),
  })
  .meta({ id: 'WhatIfRequest', description: 'A proposed change (a detection rule set, a playbook file or the tenant file) and the period of recorded alerts to re-decide' });

const decision = { old: z.string(), new: z.string() };

export const whatIfReportSchema = z
  .object({
    change: z.object({ kind: z.enum(['rules', 'playbook', 'tenant']), name: z.string(), digest: z.string() }),
    tenantId: z.string(),
    period: z.object({ since: z.string(), first: z.string().nullable(), last: z.string().nullable() }),
    alertsConsidered: z.number().int(),
    alertsDiffering: z.number().int(),
    differences: z.array(
      z.object({
        alertId: z.string(),
        receivedAt: z.string(),
        classification: z.object({ old: z.object({ severity: z.string(), decidedBy: z.string() }), new: z.object({ severity: z.string(), decidedBy: z.string() }) }).optional(),
        response: z.object(decision).optional(),
        measures: z.array(z.object({ measure: z.string(), ...decision })).optional(),
        notifications: z.array(z.object({ purpose: z.string(), ...decision })).optional(),
      }),
    ),
  })
  .meta({ id: 'WhatIfReport', description: 'Only the recorded alerts the change would decide differently; deterministic, keys sorted' });

export const shadowReportQuerySchema = z
  .strictObject({ tenantId: z.string().regex(TENANT_ID, 'a tenant id like mueller-logistik'), since: z.string().regex(/^[1-9]\d{0,2}[dh]$/, 'a period like 30d or 12h') })
  .meta({ id: 'ShadowReportQuery' });

const runRef = z.object({ runId: z.string(), version: z.number().int(), revision: z.number().int().nullable(), digest: z.string() });

export const shadowReportSchema = z
  .object({
    playbookId: z.string(),
    tenantId: z.string(),
    since: z.string(),
    pairs: z.number().int(),
    differing: z.number().int(),
    comparisons: z.array(
      z.object({ alertId: z.string(), live: runRef, shadow: runRef, agreed: z.number().int(), differences: z.array(z.object({ measure: z.string(), live: z.string(), shadow: z.string() })) }),
    ),
  })
  .meta({ id: 'ShadowReport', description: 'Each live run with a shadow run beside it: the measures they decided differently' });

/** Compile-time: each response schema here publishes its domain type exactly (api/http/describes.ts). */
export type WhatIfSchemasDescribeDomain = [
  Assert<Describes<typeof whatIfReportSchema, WhatIfReport>>,
  Assert<Describes<typeof shadowReportSchema, ShadowReport>>,
];
