/** Billable work orders (R3, R7): requests for work outside the package are recorded and listed, never done silently. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import { WorkOrders } from '../../api/workOrders/workOrders';
import { berlinMonthOf } from '../../domain/calendar/berlinTime';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { benignAlert, sampleAlert } from '../support/alerts';
import { alwaysInService, REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';
import { testCallerSigner } from '../support/testEnv';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({
    rulesDir: join(REPO, 'test/fixtures/rules'),
    policy: alwaysInService,
  });
});
afterAll(async () => {
  await engine?.stop();
});

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
async function submit(body: object, tenantId: string): Promise<string> {
  const response = await request(engine.app).post('/v1/alerts').set(auth(engine.key('ingest', tenantId))).send(body);
  expect(response.status).toBe(202);
  return response.body.alertId;
}
const order = (key: string, body: object) => request(engine.app).post('/v1/work-orders').set(auth(key)).send(body);
const month = () => berlinMonthOf(new Date());

test('R3 a package-1 customer asking for incident handling gets a billable work order, and the alert gets no analyst work', async () => {
  const alertId = await submit(sampleAlert(), 'nordwind-handel');
  const final: AlertStatus = await engine.client.workflow.getHandle(alertId).result();
  const customer = engine.key('customer', 'nordwind-handel');
  const response = await order(customer, { alertId, description: 'Please investigate WS-0231 and clean it up' });
  expect(response.status).toBe(201);
  expect(response.body).toMatchObject({ tenantId: 'nordwind-handel', alertId, requestedBy: 'customer:dev-customer-nordwind', reason: expect.stringContaining('R3') });
  expect(final.state).toBe('published');
  expect(final.triage.assignedAnalyst).toBeNull();
  const listed = await waitFor(
    async () => (await request(engine.app).get(`/v1/work-orders?month=${month()}`).set(auth(customer))).body.items as { workOrderId: string }[],
    (items) => items.some((i) => i.workOrderId === response.body.workOrderId),
    'the work order in the list',
  );
  expect(listed.length).toBeGreaterThan(0);
  await waitFor(async () => engine.workOrders.count('nordwind-handel'), (n) => n > 0, 'the work order in the read model');
});

test('R7 a package-2 customer asking for a measure on a high alert gets a billable work order', async () => {
  const alertId = await submit(benignAlert({ tenantId: 'mueller-logistik', vendorSeverity: 'high' }), 'mueller-logistik');
  await waitFor(async () => (await engine.client.workflow.getHandle(alertId).describe()).typedSearchAttributes, () => true, 'the alert');
  await waitFor(
    async () => (await request(engine.app).get(`/v1/alerts/${alertId}`).set(auth(engine.key('analyst')))).body.severity,
    (severity) => severity === 'high',
    'classification',
  );
  const response = await order(engine.key('customer', 'mueller-logistik'), { alertId, description: 'Block the attacker IP for us' });
  expect(response.status).toBe(201);
  expect(response.body.reason).toContain('R7');
});

test('the same requestId lands on the same work order', async () => {
  const requestId = randomUUID().replace(/-/g, '');
  const customer = engine.key('customer', 'nordwind-handel');
  const first = await order(customer, { description: 'Manual review please', requestId });
  const second = await order(customer, { description: 'Manual review please', requestId });
  expect([first.status, second.status]).toEqual([201, 200]);
  expect(second.body.workOrderId).toBe(first.body.workOrderId);
});

test('R17 a customer orders and lists only for its own tenant; an analyst lists any', async () => {
  const customer = engine.key('customer', 'nordwind-handel');
  expect((await order(customer, { tenantId: 'mueller-logistik', description: 'x' })).status).toBe(404);
  expect((await request(engine.app).get('/v1/work-orders?tenantId=mueller-logistik').set(auth(customer))).status).toBe(404);
  const otherAlert = await submit(benignAlert({ tenantId: 'mueller-logistik', vendorSeverity: 'low' }), 'mueller-logistik');
  expect((await order(customer, { alertId: otherAlert, description: 'x' })).status).toBe(404);
  const all = await request(engine.app).get('/v1/work-orders?tenantId=nordwind-handel').set(auth(engine.key('analyst')));
  expect(all.status).toBe(200);
  expect((await order(engine.key('ingest', 'nordwind-handel'), { description: 'x' })).status).toBe(403);
});

test('billing months are German calendar months: an order filed at 00:30 on 1 April in Berlin is billed in April, not March', async () => {
  const analyst = { role: 'analyst', keyId: 'billing-month-test', tenantId: null } as const;
  const filedAt = new Date('2026-03-31T22:30:00.000Z'); // 00:30 on 1 April, summer time
  const workOrders = new WorkOrders({
    client: engine.client,
    namespace: engine.client.options.namespace,
    taskQueue: engine.taskQueue,
    tenants: loadTenantDirectory(join(REPO, 'config/tenants')),
    store: engine.workOrders,
    signer: testCallerSigner(),
    now: () => filedAt,
  });
  const { order: filed } = await workOrders.request(analyst, { tenantId: 'nordwind-handel', description: 'Night call', requestId: randomUUID().replace(/-/g, '') });
  expect(filed.requestedAt).toBe(filedAt.toISOString());
  const inMonth = async (month: string) => (await workOrders.list(analyst, { tenantId: 'nordwind-handel', month })).items.map((o) => o.workOrderId);
  const april = await waitFor(() => inMonth('2026-04'), (ids) => ids.includes(filed.workOrderId), 'the order in April');
  expect(april).toContain(filed.workOrderId);
  expect(await inMonth('2026-03')).not.toContain(filed.workOrderId);
});
