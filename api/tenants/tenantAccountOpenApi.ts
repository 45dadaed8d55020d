/** The tenant account endpoints in the OpenAPI document: package changes (R16), fair use (R15), leak findings (R4). */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { json, refusals } from '../http/openApiParts';
import { errorSchema } from '../http/schemas';
import {
  alertReportQuerySchema,
  alertReportSchema,
  weeklyReviewQuerySchema,
  fairUseQuerySchema,
  fairUseReportSchema,
  leakFindingListSchema,
  optionChangeListSchema,
  optionChangeRequestSchema,
  optionChangeSchema,
  packageChangeListSchema,
  packageChangeRequestSchema,
  packageChangeSchema,
  tenantParamsSchema,
} from './tenantAccountSchemas';

const readRefusals = { 401: refusals[401], 403: refusals[403], 404: json(errorSchema, 'No such tenant (another tenant is reported as absent)') };

export function registerTenantAccountPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/tenants/{tenantId}/package-changes',
    summary: 'Request a package change (admin): it takes effect at the end of a month with five Werktage (Monday-Saturday without DE-NW holidays) of notice (R16)',
    security,
    request: { params: tenantParamsSchema, body: { required: true, content: { 'application/json': { schema: packageChangeRequestSchema } } } },
    responses: {
      201: json(packageChangeSchema, 'Recorded; the package switches at effectiveFrom without a restart'),
      400: refusals[400],
      422: json(errorSchema, 'Too late for the wanted date; `issues` names the earliest possible date'),
      ...readRefusals,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenantId}/package-changes',
    summary: 'The tenant\'s recorded package changes and the package in force now (R16)',
    security,
    request: { params: tenantParamsSchema },
    responses: { 200: json(packageChangeListSchema, 'Changes, by effective date'), ...readRefusals },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/tenants/{tenantId}/option-changes',
    summary: 'Book or cancel R11 options (admin): like a package change, at the end of a month with five Werktage of notice (R11, R16)',
    security,
    request: { params: tenantParamsSchema, body: { required: true, content: { 'application/json': { schema: optionChangeRequestSchema } } } },
    responses: {
      201: json(z.object({ items: z.array(optionChangeSchema) }), 'Recorded, one change per option; in force from effectiveFrom without a restart'),
      400: refusals[400],
      422: json(errorSchema, 'Too late for the wanted date (`option_change_too_late`); `issues` names the earliest possible date'),
      ...readRefusals,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenantId}/option-changes',
    summary: 'The tenant\'s recorded option changes and the options in force now (R11, R16)',
    security,
    request: { params: tenantParamsSchema },
    responses: { 200: json(optionChangeListSchema, 'Changes, by effective date'), ...readRefusals },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/fair-use',
    summary: 'Handled incidents per tenant in a month; above three times the package baseline is flagged (R15)',
    security,
    request: { query: fairUseQuerySchema },
    responses: { 200: json(fairUseReportSchema, 'Every tenant, flagged ones first'), 400: refusals[400], 401: refusals[401], 403: refusals[403] },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenantId}/leak-findings',
    summary: 'Compromised addresses found by the weekly credential-leak check (R4)',
    security,
    request: { params: tenantParamsSchema },
    responses: { 200: json(leakFindingListSchema, 'Findings, newest first'), ...readRefusals },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenantId}/reports/alerts',
    summary: 'Alerts of a period by severity, state and source, as JSON or CSV (R3)',
    security,
    request: { params: tenantParamsSchema, query: alertReportQuerySchema },
    responses: {
      200: {
        description: 'The report; CSV has one line per severity, state and source',
        content: { 'application/json': { schema: alertReportSchema }, 'text/csv': { schema: { type: 'string' } } },
      },
      400: refusals[400],
      ...readRefusals,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/tenants/{tenantId}/reports/weekly-review',
    summary: 'The printable weekly review report (R11 option): what happened, what was done, open recommendations',
    security,
    request: { params: tenantParamsSchema, query: weeklyReviewQuerySchema },
    responses: {
      200: { description: 'A printable HTML page', content: { 'text/html': { schema: { type: 'string' } } } },
      400: refusals[400],
      409: json(errorSchema, 'The tenant has not booked the weekly review (R11)'),
      ...readRefusals,
    },
  });
}
