/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests; each feature folder registers its own paths. */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { healthSchema } from './schemas';
import { json, refusals } from './openApiParts';
import { registerAlertPaths } from '../alerts/alertOpenApi';
import { registerTriagePaths } from '../triage/triageOpenApi';
import { registerWorkOrderPaths } from '../workOrders/workOrderOpenApi';
import { registerPlaybookPaths } from '../playbooks/playbookOpenApi';
import { registerWhatIfPaths } from '../whatIf/whatIfOpenApi';
import { registerVersionPaths } from '../versions/versionOpenApi';
import { registerAuditPaths } from '../audit/auditOpenApi';
import { registerOperationsPaths } from '../operations/operationsOpenApi';
import { registerCodecPaths } from '../codec/codecOpenApi';
import { registerEventPaths } from '../events/eventOpenApi';
import { registerTenantAccountPaths } from '../tenants/tenantAccountOpenApi';


/**
 * What one API key may name (GET /v1/openapi.json): its tenants with their registered sources, the analysts, the
 * playbooks. The public /openapi.json names none of them (it would list the SOC's customers).
 */
export interface OpenApiScope {
  /** With each tenant's registered source ids and the Azure tenant ids of its connected Microsoft 365 tenants (R1). */
  tenants: { id: string; sources: string[]; azureTenantIds: string[] }[];
  analysts: string[];
  playbooks: string[];
}

export function buildOpenApiDocument(scope?: OpenApiScope): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'An API key' });
  const secured = [{ apiKey: [] }];

  registerAlertPaths(registry, secured);
  registerTriagePaths(registry, secured);
  registerWorkOrderPaths(registry, secured);
  registerPlaybookPaths(registry, secured);
  registerWhatIfPaths(registry, secured);
  registerVersionPaths(registry, secured);
  registerAuditPaths(registry, secured);
  registerOperationsPaths(registry, secured);
  registerCodecPaths(registry, secured);
  registerEventPaths(registry, secured);
  registerTenantAccountPaths(registry, secured);
  registry.registerPath({
    method: 'get',
    path: '/v1/openapi.json',
    summary: 'This document as strict as the validators are for the calling key: its tenants, their sources, the analysts and playbooks it may name',
    security: secured,
    responses: { 200: { description: 'The OpenAPI document', content: { 'application/json': { schema: z.looseObject({ openapi: z.string() }) } } }, 401: refusals[401] },
  });
  registry.registerPath({ method: 'get', path: '/healthz', summary: 'Liveness', responses: { 200: json(healthSchema, 'Alive') } });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the workflow service answers',
    responses: { 200: json(healthSchema, 'Ready'), 503: json(healthSchema, 'Not ready') },
  });

  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'SOAR engine API', version: '0.1.0', description: 'Alert intake and reading for a managed SOC' },
  });
  const linked = withLinks(withGraphAlertTime(withBodyRefusals(document)));
  return scope ? scoped(linked, scope) : linked;
}

type Json = Record<string, unknown>;

/** The validator's rule that a Graph alert has a time: createdDateTime or firstActivityDateTime, not null. */
function withGraphAlertTime<T extends { components?: object }>(document: T): T {
  const schemas = ((document.components ?? {}) as { schemas?: Record<string, Json> }).schemas ?? {};
  const alert = schemas['GraphSecurityAlert'];
  if (alert) alert['anyOf'] = ['createdDateTime', 'firstActivityDateTime'].map((field) => ({ required: [field], properties: { [field]: { type: 'string' } } }));
  return document;
}
type Operation = { parameters?: Json[]; requestBody?: { content?: Record<string, { schema?: Json }> }; responses?: Record<string, Json> };

const operationOf = (document: { paths?: object }, path: string, method: string) => ((document.paths ?? {}) as Record<string, Record<string, Operation>>)[path]?.[method];
/** A link target as a JSON pointer (the document has no operation ids). */
const pointer = (path: string, method: string) => `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;
const linkName = (path: string, method: string) => `${method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_')}`;

/**
 * OpenAPI links from the operations that create ids to those that take them, so a client (and schemathesis' stateful
 * phase) reaches alerts, their decisions, playbook runs and the audit routes with real ids.
 */
function withLinks<T extends { paths?: object }>(document: T): T {
  const paths = Object.entries((document.paths ?? {}) as Record<string, Record<string, Operation>>);
  const targets = (wanted: (path: string) => boolean) => paths.flatMap(([path, operations]) => Object.keys(operations).filter(() => wanted(path)).map((method) => ({ path, method })));
  const alertTargets = targets((path) => path.includes('{alertId}') && !path.includes('{runId}'));
  const runTargets = targets((path) => path.includes('{runId}'));
  const link = (responses: Record<string, Json> | undefined, status: string, to: { path: string; method: string }[], parameters: (path: string) => Record<string, string>) => {
    const response = responses?.[status];
    if (!response) return;
    response['links'] = Object.fromEntries(to.map(({ path, method }) => [linkName(path, method), { operationRef: pointer(path, method), parameters: parameters(path) }]));
  };
  const fromAlert = (alertId: string, workflowId: string) => (path: string) => ({ alertId, ...(path.includes('{workflowId}') ? { workflowId } : {}) });
  link(operationOf(document, '/v1/alerts', 'post')?.responses, '202', alertTargets, fromAlert('$response.body#/alertId', '$response.body#/workflowId'));
  link(operationOf(document, '/v1/alerts', 'get')?.responses, '200', alertTargets, fromAlert('$response.body#/items/0/alertId', '$response.body#/items/0/alertId'));
  const started = operationOf(document, '/v1/alerts/{alertId}/playbooks', 'post')?.responses;
  link(started, '201', [...runTargets, ...alertTargets.filter((t) => t.path.includes('{workflowId}'))], (path) => ({
    alertId: '$request.path.alertId',
    ...(path.includes('{runId}') ? { runId: '$response.body#/runId' } : {}),
    ...(path.includes('{workflowId}') ? { workflowId: '$response.body#/workflowId' } : {}),
  }));
  return document;
}

/** The document for one key: the names it may use are enumerated, as the validators and the catalogues check them. */
function scoped<T extends { paths?: object }>(original: T, scope: OpenApiScope): T {
  const document = structuredClone(original);
  const tenantIds = scope.tenants.map((t) => t.id);
  const sources = [...new Set(scope.tenants.flatMap((t) => t.sources))];
  const restrict = (schema: Json | undefined, values: string[]) => {
    if (schema && values.length > 0) schema['enum'] = values;
  };
  for (const operations of Object.values((document.paths ?? {}) as Record<string, Record<string, Operation>>)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter['name'] === 'tenantId') restrict(parameter['schema'] as Json | undefined, tenantIds);
        if (parameter['name'] === 'source') restrict(parameter['schema'] as Json | undefined, sources);
      }
    }
  }
  const body = (path: string, method: string) => operationOf(document, path, method)?.requestBody?.content?.['application/json'];
  const narrow = (path: string, method: string, extra: Json) => {
    const content = body(path, method);
    if (content?.schema) content.schema = { allOf: [content.schema, extra] };
  };
  // A tenant's alert names one of its own registered sources (R1).
  if (scope.tenants.length > 0) {
    narrow('/v1/alerts', 'post', {
      oneOf: scope.tenants.filter((t) => t.sources.length > 0).map((t) => ({ type: 'object', required: ['tenantId', 'source'], properties: { tenantId: { const: t.id }, source: { enum: t.sources } } })),
    });
    narrow('/v1/work-orders', 'post', { type: 'object', properties: { tenantId: { enum: tenantIds } } });
  }
  // A Graph alert comes from a connected Microsoft 365 tenant of the key's tenants (R1).
  const azure = scope.tenants.flatMap((t) => t.azureTenantIds);
  const graphAlert = ((document as { components?: { schemas?: Record<string, Json> } }).components?.schemas ?? {})['GraphSecurityAlert'];
  restrict((graphAlert?.['properties'] as Record<string, Json> | undefined)?.['tenantId'], azure);
  // Without a tenant bound to the key, the events name theirs (the intake refuses a batch without one).
  for (const parameter of operationOf(document, '/v1/events', 'post')?.parameters ?? []) if (parameter['name'] === 'tenantId' && scope.tenants.length > 1) parameter['required'] = true;
  if (scope.analysts.length > 0) narrow('/v1/alerts/{alertId}/reassign', 'post', { type: 'object', properties: { analyst: { enum: scope.analysts } } });
  if (scope.playbooks.length > 0) narrow('/v1/alerts/{alertId}/playbooks', 'post', { type: 'object', properties: { playbookId: { enum: scope.playbooks } } });
  return document;
}

/**
 * Every operation that takes a body can be refused before its route sees it: 413 past the body limit, 415 without a
 * JSON content type. Added here once rather than in each path entry.
 */
function withBodyRefusals<T extends { paths?: object }>(document: T): T {
  const errorBody = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  for (const operations of Object.values(document.paths ?? {}) as object[]) {
    for (const operation of Object.values(operations) as unknown[]) {
      if (typeof operation !== 'object' || operation === null || !('requestBody' in operation)) continue;
      const { responses } = operation as unknown as { responses: Record<string, unknown> };
      responses['413'] ??= { description: refusals[413].description, ...errorBody };
      responses['415'] ??= { description: refusals[415].description, ...errorBody };
    }
  }
  return document;
}
