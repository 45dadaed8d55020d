/** The what-if endpoint in the OpenAPI document. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { json, refusals } from '../http/openApiParts';
import { z } from 'zod';
import { shadowReportQuerySchema, shadowReportSchema, whatIfReportSchema, whatIfRequestSchema } from './whatIfSchemas';

export function registerWhatIfPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/what-if',
    summary: 'Re-decide the recorded alerts of a period with a proposed rule, playbook or tenant change; only the differences',
    description: 'Analysts and admins. Reads the alerts\' recorded inputs from their histories and calls no vendor. The answer is a deterministic file (Content-Disposition: attachment) for review.',
    security,
    request: { body: { required: true, content: { 'application/json': { schema: whatIfRequestSchema } } } },
    responses: { 200: json(whatIfReportSchema, 'The differences'), 400: refusals[400], 401: refusals[401], 403: refusals[403], 404: refusals[404], 415: refusals[415] },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/playbooks/{playbookId}/shadow-report',
    summary: "A shadow revision's decisions beside the active revision's on the tenant's live alerts (analysts, admins)",
    security,
    request: { params: z.object({ playbookId: z.string() }), query: shadowReportQuerySchema },
    responses: { 200: json(shadowReportSchema, 'The comparison'), 400: refusals[400], 401: refusals[401], 403: refusals[403], 404: refusals[404] },
  });
}
