/**
 * Signed outbound webhooks: a tenant's ticket system and the SOC's receiver (HTTPS fakes that check the signature
 * independently of the engine) follow an alert's lifecycle; failures are retried by Temporal with back-off, and every
 * delivery is visible on the alert.
 */
import { fetchWorkflowTree } from '../../infra/audit/workflowHistories';
import { writeGoldenIfAsked } from '../audit/goldenFiles';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { LifecycleEvent } from '../../domain/webhooks/lifecycleEvents';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { benignAlert, sampleAlert } from '../support/alerts';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { startHttpsFake, type RecordedRequest, type RunningFake } from '../support/vendors/httpsFake';
import { waitFor } from '../support/waitFor';

const TENANT_SECRET = 'whsec-mueller-ticketing-4c1d9a0b7e2f';
const SOC_SECRET = 'whsec-soc-8e7d6c5b4a39';
let engine: TestEngine;
let ticketing: RunningFake;
let soc: RunningFake;
const received: RecordedRequest[] = [];
/** Statuses the ticket system answers next for an event type, in order (then 200). */
const ticketingAnswers = new Map<string, number[]>();

/** The receiver's check, as a ticket system would write it from the documentation: HMAC-SHA256 over "<t>.<raw body>". */
function verified(request: RecordedRequest, secret: string): boolean {
  const header = String(request.headers['soar-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${JSON.stringify(request.body)}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2] ?? '', 'hex')) && Math.abs(Date.now() / 1000 - Number(match[1])) < 300;
}

beforeAll(async () => {
  ticketing = await startHttpsFake('ticketing', received, (r) => {
    const type = (r.body as LifecycleEvent).type;
    const next = ticketingAnswers.get(type)?.shift();
    return { status: next ?? (verified(r, TENANT_SECRET) ? 200 : 401) };
  });
  soc = await startHttpsFake('soc-receiver', received, (r) => ({ status: verified(r, SOC_SECRET) ? 204 : 401 }));
  const tenantsDir = mkdtempSync(join(tmpdir(), 'soar-webhook-tenants-'));
  cpSync(join(REPO, 'config/tenants'), tenantsDir, { recursive: true });
  appendFileSync(join(tenantsDir, 'mueller-logistik.yaml'), `\nwebhooks:\n  - { id: ticketing, url: "${ticketing.url}/autotask/hooks/soar", secretRef: env:TEST_TICKETING_SECRET }\n`);
  engine = await startTestEngine({
    tenantsDir,
    rulesDir: join(REPO, 'test/fixtures/rules'),
    env: { SOAR_SOC_WEBHOOK_URL: `${soc.url}/events`, SOAR_SOC_WEBHOOK_SECRET_REF: 'env:TEST_SOC_WEBHOOK_SECRET' },
    secretEnv: { TEST_TICKETING_SECRET: TENANT_SECRET, TEST_SOC_WEBHOOK_SECRET: SOC_SECRET },
    policy: (policy: TenantPolicy): TenantPolicy => ({
      ...policy,
      terms: { ...policy.terms, windows: [{ from: '2020-01-01T00:00:00Z', to: '2050-01-01T00:00:00Z' }] },
      escalation: policy.escalation && { ...policy.escalation, steps: policy.escalation.steps.map((s) => ({ ...s, timeoutMs: 120_000 })) },
    }),
  });
});
afterAll(async () => {
  await engine?.stop();
  await ticketing?.close();
  await soc?.close();
});

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const read = async (alertId: string) => (await request(engine.app).get(`/v1/alerts/${alertId}`).set(auth(engine.key('analyst')))).body as AlertStatus;
async function submit(body: object, tenantId: string): Promise<string> {
  const response = await request(engine.app).post('/v1/alerts').set(auth(engine.key('ingest', tenantId))).send(body);
  expect(response.status).toBe(202);
  return response.body.alertId as string;
}
const eventsAt = (vendor: string, alertId: string) => received.filter((r) => r.vendor === vendor && (r.body as LifecycleEvent).alertId === alertId && r.status !== undefined && r.status < 300);

test('a tenant’s ticket system and the SOC follow an alert from receipt to close, each event signed, retried and visible as a delivery', async () => {
  ticketingAnswers.set('alert.escalated', [503]);
  const alertId = await submit(sampleAlert({ tenantId: 'mueller-logistik' }), 'mueller-logistik');
  await waitFor(async () => eventsAt('ticketing', alertId).length, (n) => n >= 3, 'received, classified and escalated at the ticket system (one retried)', 60_000);
  expect((await request(engine.app).post(`/v1/alerts/${alertId}/claim`).set(auth(engine.key('analyst'))).send({})).status).toBe(200);
  const assessed = await request(engine.app).post(`/v1/alerts/${alertId}/assessment`).set(auth(engine.key('analyst'))).send({ severity: 'critical', verdict: 'true_positive', rationale: 'LSASS dumped' });
  expect(assessed.status).toBe(200);
  expect((await request(engine.app).post(`/v1/alerts/${alertId}/close`).set(auth(engine.key('analyst'))).send({ summary: 'Contained by the customer' })).status).toBe(200);
  const status = await waitFor(() => read(alertId), (s) => (s.webhookDeliveries ?? []).filter((d) => d.delivered).length >= 8, 'four events delivered to both receivers', 60_000);

  const events = eventsAt('ticketing', alertId).map((r) => r.body as LifecycleEvent);
  expect(events.map((e) => e.type).sort()).toEqual(['alert.classified', 'alert.closed', 'alert.escalated', 'alert.received']);
  expect(events.map((e) => [e.type, e.sequence, e.id]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
    ['alert.received', 1, `${alertId}/1`],
    ['alert.classified', 2, `${alertId}/2`],
    ['alert.escalated', 3, `${alertId}/3`],
    ['alert.closed', 4, `${alertId}/4`],
  ]);
  expect(events.find((e) => e.type === 'alert.closed')).toMatchObject({ tenantId: 'mueller-logistik', data: { state: 'closed', summary: 'Contained by the customer', severity: 'critical' } });
  expect(eventsAt('ticketing', alertId).every((r) => verified(r, TENANT_SECRET) && r.headers['soar-event-id'] === (r.body as LifecycleEvent).id)).toBe(true);
  expect(eventsAt('soc-receiver', alertId).every((r) => verified(r, SOC_SECRET))).toBe(true);
  expect(eventsAt('soc-receiver', alertId)).toHaveLength(4);
  // The escalation's first attempt met a 503; Temporal retried it with the same event id.
  const escalated = received.filter((r) => r.vendor === 'ticketing' && (r.body as LifecycleEvent).id === `${alertId}/3`);
  expect(escalated.map((r) => r.status)).toEqual([503, 200]);
  expect(status.webhookDeliveries?.filter((d) => d.target === 'tenant:ticketing').map((d) => [d.type, d.delivered, d.status]).sort()).toEqual([
    ['alert.classified', true, 200],
    ['alert.closed', true, 200],
    ['alert.escalated', true, 200],
    ['alert.received', true, 200],
  ]);
  // The alert ends once its deliveries are done; its history is the golden of the webhooks patch (docs/audit.md).
  await waitFor(() => engine.client.workflow.getHandle(alertId).describe(), (d) => d.status.name !== 'RUNNING', 'the alert workflow to end', 60_000);
  await writeGoldenIfAsked('outbound-webhooks', alertId, await fetchWorkflowTree(engine.client, alertId), engine.payloadCodec);
});

test('R17 a delivery the receiver refuses for good is recorded on the alert and in its timeline, not in the customer’s view; another tenant’s alert goes to the SOC only', async () => {
  ticketingAnswers.set('alert.received', [410]);
  const alertId = await submit(benignAlert({ tenantId: 'mueller-logistik' }), 'mueller-logistik');
  const status = await waitFor(() => read(alertId), (s) => (s.webhookDeliveries ?? []).some((d) => !d.delivered), 'the refused delivery', 30_000);
  expect(status.webhookDeliveries?.find((d) => !d.delivered)).toMatchObject({ target: 'tenant:ticketing', type: 'alert.received', status: 410, failure: 'WebhookRejected: tenant:ticketing answered HTTP 410' });
  expect(status.timeline.map((e) => e.detail)).toContainEqual(`Webhook tenant:ticketing: alert.received (${alertId}/1) failed for good: WebhookRejected: tenant:ticketing answered HTTP 410`);
  // R17: the deliveries and their failures are the SOC's business; the customer's key reads the alert without them.
  const asCustomer = await request(engine.app).get(`/v1/alerts/${alertId}`).set(auth(engine.key('customer', 'mueller-logistik')));
  expect(asCustomer.status).toBe(200);
  expect(asCustomer.body).not.toHaveProperty('webhookDeliveries');
  expect((asCustomer.body as AlertStatus).timeline.map((e) => e.detail).filter((d) => d.startsWith('Webhook '))).toEqual([]);

  const other = await submit(benignAlert({ tenantId: 'nordwind-handel' }), 'nordwind-handel');
  await waitFor(async () => eventsAt('soc-receiver', other).length, (n) => n >= 2, 'received and classified at the SOC');
  expect(eventsAt('ticketing', other)).toHaveLength(0);
});
