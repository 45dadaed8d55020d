/** The operations endpoints in the OpenAPI document: failed or stuck workflows with their reasons, in one place. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PROBLEM_KINDS } from './workflowProblems';
import { json, refusals } from '../http/openApiParts';
import { cursorParamSchema } from '../http/schemas';
import type { Assert, Describes } from '../http/describes';
import type { ProblemPage } from './workflowProblems';

export const problemsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: 'Executions scanned for this page (a page may hold fewer problems)' }),
  cursor: cursorParamSchema.optional(),
});

export const problemPageSchema = z
  .object({
    items: z.array(
      z.object({
        workflowId: z.string(),
        runId: z.string(),
        workflowType: z.string(),
        tenantId: z.string().nullable(),
        kind: z.enum(PROBLEM_KINDS),
        reason: z.string().meta({ description: 'The failure message (with its causes), the termination reason, or the last failure of the retrying activity' }),
        since: z.string().meta({ description: 'Closing time of a closed workflow, start time of a running one (ISO 8601)' }),
        activityType: z.string().nullable(),
        attempt: z.number().int().nullable(),
      }),
    ),
    scanned: z.number().int(),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'WorkflowProblemPage' });

export function registerOperationsPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'get',
    path: '/v1/operations/problems',
    summary: 'Failed, terminated or timed-out alert and playbook-run workflows, then running ones whose activity retries or whose workflow task fails (analyst and admin)',
    security,
    request: { query: problemsQuerySchema },
    responses: {
      200: json(problemPageSchema, 'Closed problems first, then running ones; follow nextCursor until null'),
      400: refusals[400],
      401: refusals[401],
      403: refusals[403],
    },
  });
}

/** Compile-time: each response schema here publishes its domain type exactly (api/http/describes.ts). */
export type OperationsSchemasDescribeDomain = [
  Assert<Describes<typeof problemPageSchema, ProblemPage>>,
];
