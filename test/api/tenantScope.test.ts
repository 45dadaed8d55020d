/**
 * R17 walked over the whole API: every operation of the OpenAPI document that names an alert or a tenant (in its path,
 * its query or its JSON body) is asked, with the keys of another tenant, about a real alert and a real tenant. Each
 * answers 404 with the very body a resource that does not exist gets, so a key learns nothing of another tenant.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { alertIdFor } from '../../domain/alertIdentity';
import { benignAlert, sampleAlert } from '../support/alerts';
import { startTestEngine, type TestEngine } from '../support/testEngine';

const OWNER = 'mueller-logistik';
const OTHER = 'nordwind-handel';

let engine: TestEngine;
let alertId: string;
beforeAll(async () => {
  engine = await startTestEngine();
  const accepted = await request(engine.app).post('/v1/alerts').set('Authorization', `Bearer ${engine.key('ingest', OWNER)}`).send(benignAlert({ tenantId: OWNER, vendorSeverity: 'low' }));
  expect(accepted.status).toBe(202);
  alertId = accepted.body.alertId;
});
afterAll(async () => {
  await engine?.stop();
});

interface Operation {
  method: string;
  path: string;
  responses: string[];
  parameters: { in: string; name: string }[];
  bodyProperties: string[];
}

type Doc = { paths: Record<string, Record<string, { responses?: Record<string, unknown>; parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>; components?: { schemas?: Record<string, Schema> } };
type Schema = { $ref?: string; properties?: Record<string, unknown>; allOf?: Schema[] };

function propertiesOf(doc: Doc, schema: Schema | undefined): string[] {
  if (!schema) return [];
  if (schema.$ref) return propertiesOf(doc, doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')]);
  return [...Object.keys(schema.properties ?? {}), ...(schema.allOf ?? []).flatMap((part) => propertiesOf(doc, part))];
}

function operationsOf(doc: Doc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      responses: Object.keys(op.responses ?? {}),
      parameters: op.parameters ?? [],
      bodyProperties: propertiesOf(doc, op.requestBody?.content?.['application/json']?.schema),
    })),
  );
}

/** The requests that put an operation's tenant references to another tenant's key, and what each must look absent. */
function casesOf(op: Operation): { url: string; body: unknown; absent: { kind: 'alert' | 'tenant'; id: string } }[] {
  const has = (where: string, name: string) => op.parameters.some((p) => p.in === where && p.name === name);
  const url = (query = '') =>
    op.path
      .replace('{alertId}', alertId)
      .replace('{tenantId}', OWNER)
      .replace('{runId}', 'run-1')
      .replace('{workflowId}', alertId)
      .replace('{playbookId}', 'compromised-device') + query;
  const cases: ReturnType<typeof casesOf> = [];
  if (has('path', 'alertId')) cases.push({ url: url(), body: {}, absent: { kind: 'alert', id: alertId } });
  if (has('path', 'tenantId')) cases.push({ url: url(), body: {}, absent: { kind: 'tenant', id: OWNER } });
  if (has('query', 'tenantId')) cases.push({ url: url(`?tenantId=${OWNER}`), body: {}, absent: { kind: 'tenant', id: OWNER } });
  if (op.bodyProperties.includes('tenantId')) cases.push({ url: url(), body: validBodyNaming(op, { tenantId: OWNER }), absent: { kind: 'tenant', id: OWNER } });
  if (op.bodyProperties.includes('alertId')) cases.push({ url: url(), body: validBodyNaming(op, { alertId }), absent: { kind: 'alert', id: alertId } });
  return cases;
}

/** A body the route's schema accepts, naming the other tenant's alert or tenant: input validation cannot answer first. */
function validBodyNaming(op: Operation, reference: { tenantId?: string; alertId?: string }): unknown {
  const key = `${op.method} ${op.path}`;
  if (key === 'POST /v1/alerts') return sampleAlert({ tenantId: OWNER, externalId: 'tenant-scope-walk' });
  if (key === 'POST /v1/work-orders') return { ...reference, description: 'Isolate the host' };
  if (key === 'POST /v1/what-if') return { tenantId: OWNER, since: '30d', change: { kind: 'tenant', content: 'id: x' } };
  throw new Error(`${key} takes a tenantId or alertId in its body: add a valid example body to this walk`);
}

/** Operations that name no tenant's resource, and why the walk leaves them out (a new one must be added here or scoped). */
const UNSCOPED: Record<string, string> = {
  'GET /v1/queue': 'the analysts\' queue across tenants; tenant-bound keys have no queue (403)',
  'GET /v1/playbooks': 'the SOC\'s playbook catalogue, no tenant data',
  'PUT /v1/playbooks/{playbookId}': 'a playbook revision (admins)',
  'GET /v1/playbooks/{playbookId}/versions': 'playbook revisions',
  'POST /v1/playbooks/{playbookId}/rollback': 'playbook revisions (admins)',
  'GET /v1/operations/problems': 'failed workflows across tenants (SOC operators only)',
  'POST /v1/codec/decode': 'the payload codec (auditors and admins only)',
  'POST /v1/codec/encode': 'the payload codec (auditors and admins only)',
  'GET /v1/ingest/syslog': 'the syslog listener\'s counters (admins only)',
  'GET /v1/fair-use': 'fair-use figures across tenants (SOC only)',
  'GET /v1/openapi.json': 'the document, narrowed to the key\'s own tenant',
  'GET /healthz': 'liveness',
  'GET /readyz': 'readiness',
};

test('R17 every route naming another tenant\'s alert or tenant answers 404, the same body as an absent one', async () => {
  const admin = engine.key('admin');
  const doc = (await request(engine.app).get('/v1/openapi.json').set('Authorization', `Bearer ${admin}`)).body as Doc;
  const operations = operationsOf(doc);
  expect(operations.length).toBeGreaterThan(40);

  // What a resource that does not exist answers (an admin key sees every tenant).
  const missingAlert = alertIdFor({ tenantId: OWNER, source: 'edr', externalId: 'never-sent' });
  const absentAlert = await request(engine.app).get(`/v1/alerts/${missingAlert}`).set('Authorization', `Bearer ${admin}`);
  const absentTenant = await request(engine.app).get('/v1/tenants/no-such-tenant/package-changes').set('Authorization', `Bearer ${admin}`);
  expect([absentAlert.status, absentTenant.status]).toEqual([404, 404]);
  const absentBody = (absent: { kind: 'alert' | 'tenant'; id: string }) =>
    JSON.parse(absent.kind === 'alert' ? JSON.stringify(absentAlert.body).replaceAll(missingAlert, absent.id) : JSON.stringify(absentTenant.body).replaceAll('no-such-tenant', absent.id));

  // The owner's own customer sees the alert: the 404s below are the other tenant's, not a broken alert.
  expect((await request(engine.app).get(`/v1/alerts/${alertId}`).set('Authorization', `Bearer ${engine.key('customer', OWNER)}`)).status).toBe(200);

  const unscoped: string[] = [];
  /** Scoped operations whose document does not list the 404 the guard answers. */
  const undocumented: string[] = [];
  const answers: { request: string; key: string; status: number; body: unknown; expected: unknown }[] = [];
  for (const op of operations) {
    const cases = casesOf(op);
    if (cases.length === 0) unscoped.push(`${op.method} ${op.path}`);
    else if (!op.responses.includes('404')) undocumented.push(`${op.method} ${op.path}`);
    for (const one of cases) {
      for (const role of ['customer', 'ingest']) {
        const call = request(engine.app)[op.method.toLowerCase() as 'get' | 'post' | 'put'](one.url).set('Authorization', `Bearer ${engine.key(role, OTHER)}`);
        const response = op.method === 'GET' ? await call : await call.set('Content-Type', 'application/json').send(JSON.stringify(one.body));
        answers.push({ request: `${op.method} ${one.url} ${JSON.stringify(one.body).slice(0, 60)}`, key: role, status: response.status, body: response.body, expected: absentBody(one.absent) });
      }
    }
  }
  expect(unscoped.sort()).toEqual(Object.keys(UNSCOPED).sort());
  expect(undocumented).toEqual([]);
  expect(answers.length).toBeGreaterThan(60);
  expect(answers.filter((a) => a.status !== 404 || JSON.stringify(a.body) !== JSON.stringify(a.expected))).toEqual([]);
  // Nothing was started for the other tenant: the walk's intake request was refused before the workflow service.
  await expect(engine.client.workflow.getHandle(alertIdFor({ ...sampleAlert({ tenantId: OWNER }), externalId: 'tenant-scope-walk' })).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});
