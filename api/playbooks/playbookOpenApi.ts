/** The playbook endpoints in the OpenAPI document (R8). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { json, refusals } from '../http/openApiParts';
import { actionRecordSchema, approvalDecisionSchema, playbookListSchema, runStatusSchema, runSummarySchema, startPlaybookSchema, undoRunSchema } from './playbookSchemas';

const body = (schema: z.ZodType) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const alertId = z.string().meta({ description: 'The alert id' });
const runParams = z.object({ alertId, runId: z.string().meta({ description: 'run-<n>' }) });
const standard = { 400: refusals[400], 401: refusals[401], 403: refusals[403], 404: refusals[404], 409: refusals[409], 415: refusals[415] };

export function registerPlaybookPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'get',
    path: '/v1/playbooks',
    summary: 'The predefined playbooks (R8), validated at load',
    security,
    responses: { 200: json(playbookListSchema, 'Every playbook with its version and digest'), 401: refusals[401], 403: refusals[403] },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/alerts/{alertId}/playbooks',
    summary: 'Start a predefined playbook on an alert ready for response (R8); anything else is refused',
    security,
    request: { params: z.object({ alertId }), ...body(startPlaybookSchema) },
    responses: { 201: json(runSummarySchema, 'Started'), ...standard },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/alerts/{alertId}/playbooks/{runId}',
    summary: 'A playbook run: every matrix check, approval, customer notice and action with its result (R8, R18)',
    security,
    request: { params: runParams },
    responses: { 200: json(runStatusSchema, 'The run'), 401: refusals[401], 403: refusals[403], 404: refusals[404] },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/alerts/{alertId}/playbooks/{runId}/approvals',
    summary: 'Approve or reject one waiting action, bound to its digest',
    description:
      'Safe to re-send: the same approver sending the same decision on the same digest again (its answer was lost) gets the first decision\'s answer, and the decision is taken once. Another decision or another approver on a decided action gets 409.',
    security,
    request: { params: runParams, ...body(approvalDecisionSchema) },
    responses: { 200: json(actionRecordSchema, 'The action with the decision'), ...standard },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/alerts/{alertId}/playbooks/{runId}/undo',
    summary: 'Undo the run\'s measures in reverse order (re-enable, release, unblock)',
    security,
    request: { params: runParams, ...body(undoRunSchema) },
    responses: { 200: json(runStatusSchema, 'The undo was requested; the run shows its progress'), ...standard },
  });
}
