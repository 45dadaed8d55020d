/** The playbook and release-matrix version endpoints in the OpenAPI document. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { json, refusals } from '../http/openApiParts';
import { matrixChangeSchema, playbookChangeSchema, rollbackSchema, versionListSchema, versionSummarySchema } from './versionSchemas';

const body = (schema: z.ZodType) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const changed = { 201: json(versionSummarySchema, 'The new revision, now in force (or in shadow)'), 400: refusals[400], 401: refusals[401], 403: refusals[403], 404: refusals[404], 409: refusals[409], 415: refusals[415] };
const listed = { 200: json(versionListSchema, 'Every revision'), 401: refusals[401], 403: refusals[403], 404: refusals[404] };

export function registerVersionPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  const playbookId = z.object({ playbookId: z.string() });
  const tenantId = z.object({ tenantId: z.string() });
  registry.registerPath({ method: 'put', path: '/v1/playbooks/{playbookId}', summary: 'Put a new revision of a predefined playbook in force, or in shadow (admins)', security, request: { params: playbookId, ...body(playbookChangeSchema) }, responses: changed });
  registry.registerPath({ method: 'get', path: '/v1/playbooks/{playbookId}/versions', summary: "A playbook's revisions: who, when, why, digest", security, request: { params: playbookId }, responses: listed });
  registry.registerPath({ method: 'post', path: '/v1/playbooks/{playbookId}/rollback', summary: 'Put an earlier revision of a playbook in force again (admins)', security, request: { params: playbookId, ...body(rollbackSchema) }, responses: changed });
  registry.registerPath({ method: 'put', path: '/v1/tenants/{tenantId}/release-matrix', summary: "Put a new revision of a tenant's release matrix in force (admins, R8)", security, request: { params: tenantId, ...body(matrixChangeSchema) }, responses: changed });
  registry.registerPath({ method: 'get', path: '/v1/tenants/{tenantId}/release-matrix/versions', summary: "A tenant's release-matrix revisions", security, request: { params: tenantId }, responses: listed });
  registry.registerPath({ method: 'post', path: '/v1/tenants/{tenantId}/release-matrix/rollback', summary: "Put an earlier revision of a tenant's release matrix in force again (admins)", security, request: { params: tenantId, ...body(rollbackSchema) }, responses: changed });
}
