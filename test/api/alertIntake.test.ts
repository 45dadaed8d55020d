/** POST /v1/alerts: acceptance, idempotent intake, and every refusal (which never starts a workflow). */
import { WorkflowNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { alertIdFor } from '../../domain/alertIdentity';
import { sampleAlert } from '../support/alerts';
import { startTestEngine, type TestEngine } from '../support/testEngine';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ bodyLimitBytes: 64 * 1024 });
});
afterAll(async () => {
  await engine?.stop();
});

const post = (key: string | null, body: unknown, contentType = 'application/json') => {
  const r = request(engine.app).post('/v1/alerts').set('Content-Type', contentType);
  if (key) r.set('Authorization', `Bearer ${key}`);
  return r.send(typeof body === 'string' ? body : JSON.stringify(body));
};

async function expectNoWorkflow(alert: { tenantId: string; source: string; externalId: string }) {
  await expect(engine.client.workflow.getHandle(alertIdFor(alert)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
}

describe('accepting alerts', () => {
  test('accepts a normalised alert with 202 and a status URL', async () => {
    const alert = sampleAlert();
    const response = await post(engine.key('ingest', 'nordwind-handel'), alert);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      alertId: alertIdFor(alert),
      workflowId: alertIdFor(alert),
      duplicate: false,
      statusUrl: `/v1/alerts/${alertIdFor(alert)}`,
    });
    const description = await engine.client.workflow.getHandle(response.body.workflowId).describe();
    expect(description.type).toBe('alertWorkflow');
  });

  test('R10 an analyst opens an incident from a customer\'s emergency call; a customer key cannot', async () => {
    const alert = sampleAlert({ tenantId: 'mueller-logistik', title: 'Emergency call: the customer reports ransomware notes on file servers' });
    const response = await post(engine.key('analyst'), alert);
    expect(response.status).toBe(202);
    expect((await engine.client.workflow.getHandle(response.body.workflowId).describe()).type).toBe('alertWorkflow');
    const byCustomer = sampleAlert({ tenantId: 'mueller-logistik' });
    expect((await post(engine.key('customer', 'mueller-logistik'), byCustomer)).status).toBe(403);
    await expectNoWorkflow(byCustomer);
  });

  test('the same (tenant, source, externalId) lands in the same workflow, marked duplicate', async () => {
    const alert = sampleAlert();
    const key = engine.key('ingest', 'nordwind-handel');
    const first = await post(key, alert);
    const second = await post(key, { ...alert, title: 'the same alert, sent again with another title' });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.workflowId).toBe(first.body.workflowId);
    expect([first.body.duplicate, second.body.duplicate]).toEqual([false, true]);
    const runs = await engine.client.workflow.count(`WorkflowId = '${first.body.workflowId}'`);
    expect(runs.count).toBe(1);
  });

  test('concurrent submissions of one alert start exactly one workflow', async () => {
    const alert = sampleAlert();
    const key = engine.key('ingest', 'nordwind-handel');
    const responses = await Promise.all(Array.from({ length: 6 }, () => post(key, alert)));
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(202));
    expect(new Set(responses.map((r) => r.body.workflowId)).size).toBe(1);
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
  });

  test('another source with the same external id is another alert', async () => {
    const alert = sampleAlert();
    const key = engine.key('ingest', 'nordwind-handel');
    const a = await post(key, alert);
    const b = await post(key, { ...alert, source: 'defender' });
    expect(a.body.workflowId).not.toBe(b.body.workflowId);
    expect(b.body.duplicate).toBe(false);
  });
});

describe('refusals: precise errors, and nothing started', () => {
  test('401 without a key', async () => {
    const alert = sampleAlert();
    const response = await post(null, alert);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body.error.code).toBe('unauthenticated');
    await expectNoWorkflow(alert);
  });

  test('401 with an unknown key, without echoing it', async () => {
    const alert = sampleAlert();
    const response = await post('not-a-real-key-0123456789', alert);
    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).not.toContain('not-a-real-key');
    await expectNoWorkflow(alert);
  });

  test('400 for malformed JSON', async () => {
    const response = await post(engine.key('ingest', 'nordwind-handel'), '{"tenantId": "nordwind-handel",');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('malformed_json');
    expect(response.body.error.issues[0].field).toBe('(body)');
  });

  test('400 names every field that breaks the schema', async () => {
    const alert = sampleAlert({ observedAt: 'yesterday' });
    const body = { ...alert, entities: { ...alert.entities, ips: [{ address: '999.1.1.1' }] }, title: '' };
    const response = await post(engine.key('ingest', 'nordwind-handel'), body);
    expect(response.status).toBe(400);
    const fields = response.body.error.issues.map((i: { field: string }) => i.field).sort();
    expect(fields).toEqual(['entities.ips[0].address', 'observedAt', 'title']);
    await expectNoWorkflow(alert);
  });

  test('400 for an unknown key in the body', async () => {
    const response = await post(engine.key('ingest', 'nordwind-handel'), { ...sampleAlert(), priority: 'urgent' });
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([{ field: '(body)', message: expect.stringContaining('priority') }]);
  });

  test('R2 a client cannot set the severity: the field does not exist for it', async () => {
    const alert = sampleAlert();
    const response = await post(engine.key('ingest', 'nordwind-handel'), { ...alert, severity: 'low' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('severity');
    await expectNoWorkflow(alert);
  });

  test('R1 refuses an unknown tenant with 422 naming tenantId', async () => {
    const alert = sampleAlert({ tenantId: 'no-such-customer' });
    const response = await post(engine.key('admin'), alert);
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'unknown_tenant', issues: [{ field: 'tenantId' }] });
    await expectNoWorkflow(alert);
  });

  test('R1 refuses a source not registered for the tenant with 422 naming source', async () => {
    const alert = sampleAlert({ source: 'opnsense-fw1' });
    const response = await post(engine.key('ingest', 'nordwind-handel'), alert);
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'unregistered_source', issues: [{ field: 'source' }] });
    await expectNoWorkflow(alert);
  });

  test('R17 an ingest key submitting for another tenant finds it absent: 404, as for a tenant that does not exist', async () => {
    const alert = sampleAlert({ tenantId: 'mueller-logistik' });
    const response = await post(engine.key('ingest', 'nordwind-handel'), alert);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'not_found', message: "No tenant 'mueller-logistik'" } });
    const unknown = await post(engine.key('ingest', 'nordwind-handel'), sampleAlert({ tenantId: 'no-such-tenant' }));
    expect(unknown.body).toEqual({ error: { code: 'not_found', message: "No tenant 'no-such-tenant'" } });
    await expectNoWorkflow(alert);
  });

  test('R17 a customer key can change nothing: 403 on intake', async () => {
    const alert = sampleAlert();
    const response = await post(engine.key('customer', 'nordwind-handel'), alert);
    expect(response.status).toBe(403);
    await expectNoWorkflow(alert);
  });

  test('413 for a body over the configured limit', async () => {
    const alert = sampleAlert({ description: 'x'.repeat(70 * 1024) });
    const response = await post(engine.key('ingest', 'nordwind-handel'), alert);
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('body_too_large');
    await expectNoWorkflow(alert);
  });

  test('415 for a body not declared as JSON', async () => {
    const alert = sampleAlert();
    const response = await post(engine.key('ingest', 'nordwind-handel'), JSON.stringify(alert), 'text/plain');
    expect(response.status).toBe(415);
    await expectNoWorkflow(alert);
  });

  test('404 as JSON for an unknown route', async () => {
    const response = await request(engine.app).get('/v1/nothing-here').set('Authorization', `Bearer ${engine.key('admin')}`);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});

describe('health and the API description', () => {
  test('healthz and readyz answer', async () => {
    expect((await request(engine.app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(engine.app).get('/readyz')).status).toBe(200);
  });

  test('openapi.json documents every route from the schemas', async () => {
    const response = await request(engine.app).get('/openapi.json');
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.paths).sort()).toEqual([
      '/healthz',
      '/readyz',
      '/v1/alerts',
      '/v1/alerts/defender',
      '/v1/alerts/{alertId}',
      '/v1/alerts/{alertId}/assessment',
      '/v1/alerts/{alertId}/claim',
      '/v1/alerts/{alertId}/close',
      '/v1/alerts/{alertId}/iocs',
      '/v1/alerts/{alertId}/notes',
      '/v1/alerts/{alertId}/playbooks',
      '/v1/alerts/{alertId}/playbooks/{runId}',
      '/v1/alerts/{alertId}/playbooks/{runId}/approvals',
      '/v1/alerts/{alertId}/playbooks/{runId}/undo',
      '/v1/alerts/{alertId}/reassign',
      '/v1/alerts/{alertId}/recommendation',
      '/v1/alerts/{alertId}/release',
      '/v1/audit/alerts/{alertId}/history',
      '/v1/audit/alerts/{alertId}/history/{workflowId}',
      '/v1/audit/alerts/{alertId}/replay',
      '/v1/audit/alerts/{alertId}/trail',
      '/v1/codec/decode',
      '/v1/codec/encode',
      '/v1/events',
      '/v1/fair-use',
      '/v1/ingest/syslog',
      '/v1/openapi.json',
      '/v1/operations/problems',
      '/v1/playbooks',
      '/v1/playbooks/{playbookId}',
      '/v1/playbooks/{playbookId}/rollback',
      '/v1/playbooks/{playbookId}/shadow-report',
      '/v1/playbooks/{playbookId}/versions',
      '/v1/queue',
      '/v1/tenants/{tenantId}/leak-findings',
      '/v1/tenants/{tenantId}/option-changes',
      '/v1/tenants/{tenantId}/package-changes',
      '/v1/tenants/{tenantId}/release-matrix',
      '/v1/tenants/{tenantId}/release-matrix/rollback',
      '/v1/tenants/{tenantId}/release-matrix/versions',
      '/v1/tenants/{tenantId}/reports/alerts',
      '/v1/tenants/{tenantId}/reports/weekly-review',
      '/v1/what-if',
      '/v1/work-orders',
    ]);
    expect(response.body.components.schemas.AlertInput.required).toEqual(expect.arrayContaining(['tenantId', 'source', 'externalId', 'title', 'observedAt']));
  });
});
