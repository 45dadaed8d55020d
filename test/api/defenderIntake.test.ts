/** POST /v1/alerts/defender: Graph security alerts exactly as Graph returns them, one or a page, checked against R1. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import { alertIdFor } from '../../domain/alertIdentity';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => {
  await engine?.stop();
});

const example = (name: string) => JSON.parse(readFileSync(join(REPO, 'examples/defender', name), 'utf8')) as Record<string, unknown>;
/** The example with a fresh id, so each test starts its own workflows. */
const fresh = (alert: Record<string, unknown>, suffix: string): Record<string, unknown> => ({ ...alert, id: `${String(alert.id)}-${suffix}` });
const post = (key: string, body: unknown, query = '') =>
  request(engine.app).post(`/v1/alerts/defender${query}`).set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/json').send(JSON.stringify(body));

test('R1 a Defender for Endpoint alert of the connected Azure tenant lands on the endpoint source, mapped with its evidence', async () => {
  const alert = fresh(example('single-alert.json'), `one-${Date.now()}`);
  const response = await post(engine.key('ingest', 'mueller-logistik'), alert);
  expect(response.status).toBe(202);
  expect(response.body.alertId).toBe(alertIdFor({ tenantId: 'mueller-logistik', source: 'defender', externalId: String(alert.id) }));
  const handle = engine.client.workflow.getHandle(response.body.alertId);
  const status: AlertStatus = await handle.query('alertStatus');
  expect(status).toMatchObject({ tenantId: 'mueller-logistik', source: 'defender', externalId: alert.id });
  expect(status.title).toBe(alert.title);
});

test('a page of alerts ({value: [...]}) is accepted whole, each alert on the source of its service', async () => {
  const page = example('alerts-page.json');
  const suffix = `page-${Date.now()}`;
  const value = (page.value as Record<string, unknown>[]).map((a) => fresh(a, suffix));
  const response = await post(engine.key('admin'), { ...page, value });
  expect(response.status).toBe(202);
  expect(response.body.alerts).toHaveLength(3);
  expect(response.body.alerts.map((a: { alertId: string }) => a.alertId.split('.')[2])).toEqual(['defender', 'm365', 'm365']);
  const again = await post(engine.key('admin'), { ...page, value });
  expect(again.body.alerts.every((a: { duplicate: boolean }) => a.duplicate)).toBe(true);
});

test('R1 an alert from an Azure tenant not connected for the key’s tenant is refused with 422, and nothing starts', async () => {
  const alert = fresh(example('single-alert.json'), `foreign-${Date.now()}`);
  const response = await post(engine.key('ingest', 'nordwind-handel'), alert);
  expect(response.status).toBe(422);
  expect(response.body.error).toMatchObject({ code: 'unregistered_source', issues: [{ field: 'tenantId' }] });
  await expect(
    engine.client.workflow.getHandle(alertIdFor({ tenantId: 'nordwind-handel', source: 'defender', externalId: String(alert.id) })).describe(),
  ).rejects.toBeInstanceOf(WorkflowNotFoundError);
});

test('R1 an Azure tenant no tenant has connected is refused with 422', async () => {
  const alert = { ...fresh(example('single-alert.json'), `unknown-${Date.now()}`), tenantId: '00000000-0000-4000-8000-000000000000' };
  const response = await post(engine.key('admin'), alert);
  expect(response.status).toBe(422);
  expect(response.body.error.code).toBe('unknown_tenant');
});

test('a wrong type in one alert of a page refuses the whole page with the path, and starts nothing', async () => {
  const page = example('alerts-page.json');
  const suffix = `bad-${Date.now()}`;
  const value = (page.value as Record<string, unknown>[]).map((a) => fresh(a, suffix));
  value[1] = { ...value[1], severity: 42 };
  const response = await post(engine.key('admin'), { ...page, value });
  expect(response.status).toBe(400);
  expect(response.body.error.issues[0].field).toBe('value[1].severity');
  await expect(
    engine.client.workflow.getHandle(alertIdFor({ tenantId: 'mueller-logistik', source: 'defender', externalId: String(value[0]?.id) })).describe(),
  ).rejects.toBeInstanceOf(WorkflowNotFoundError);
});
