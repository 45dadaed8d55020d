/**
 * R5 internal service figures: time to claim, to recommendation and to close counted in service hours only (the
 * calendar the workflows use), per tenant and analyst, on the analysts' page. No SLA: nothing here reaches a customer.
 */
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { serviceFigureRows } from '../../api/alerts/serviceFigures';
import { benignAlert } from '../support/alerts';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

/** Service closes this long after intake: what happens later is outside service hours. */
const OPEN_FOR_MS = 1_500;

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({
    ownNamespace: true,
    policy: (policy: TenantPolicy): TenantPolicy => ({
      ...policy,
      terms: { ...policy.terms, windows: [{ from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + OPEN_FOR_MS).toISOString() }] },
    }),
  });
});
afterAll(async () => {
  await engine?.stop();
});

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const act = (alertId: string, action: string, body: object) => request(engine.app).post(`/v1/alerts/${alertId}/${action}`).set(auth(engine.key('analyst'))).send(body);
const read = async (alertId: string) => (await request(engine.app).get(`/v1/alerts/${alertId}`).set(auth(engine.key('analyst')))).body as AlertStatus;

test('R5 time after service hours closed is not counted: claim, recommendation and close a few seconds later count at most the open window', async () => {
  const submitted = await request(engine.app).post('/v1/alerts').set(auth(engine.key('ingest', 'mueller-logistik'))).send(benignAlert({ tenantId: 'mueller-logistik' }));
  const alertId: string = submitted.body.alertId;
  await waitFor(() => read(alertId), (s) => s.state === 'awaiting_triage', 'the alert in the queue');
  const started = Date.now();
  await waitFor(async () => Date.now(), (now) => now - started > OPEN_FOR_MS + 1_000, 'service hours to close');
  expect((await act(alertId, 'claim', {})).status).toBe(200);
  await act(alertId, 'assessment', { severity: 'low', verdict: 'benign', rationale: 'inventory run' });
  await act(alertId, 'recommendation', { recommendation: 'Nothing to do' });
  const closed = await act(alertId, 'close', { summary: 'Benign inventory run' });
  expect(closed.status).toBe(200);
  const figures = (closed.body as AlertStatus).serviceFigures;
  const wallSeconds = (Date.now() - Date.parse(closed.body.receivedAt)) / 1000;
  expect(wallSeconds).toBeGreaterThan(2.5);
  for (const seconds of [figures?.toClaimSeconds, figures?.toRecommendationSeconds, figures?.toCloseSeconds]) {
    expect(seconds).toEqual(expect.any(Number));
    expect(seconds).toBeLessThanOrEqual(2); // the window's rest after intake, rounded
  }

  const rows = serviceFigureRows([closed.body as AlertStatus, closed.body as AlertStatus]);
  expect(rows).toEqual([{ tenantId: 'mueller-logistik', analyst: 'dev-analyst', alerts: 2, toClaim: figures?.toClaimSeconds, toRecommendation: figures?.toRecommendationSeconds, toClose: figures?.toCloseSeconds }]);

  const agent = request.agent(engine.app);
  const form = await agent.get('/dashboard/login');
  await agent.post('/dashboard/login').type('form').send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '', key: engine.key('analyst') });
  const page = await waitFor(() => agent.get('/dashboard/service-figures'), (r) => r.text.includes('<td>mueller-logistik</td><td>dev-analyst</td>'), 'the closed alert on the page');
  expect(page.text).toMatch(/<td>mueller-logistik<\/td><td>dev-analyst<\/td><td>1<\/td><td>0 min<\/td>/);

  // The same figures on the API's /metrics (internal, no SLA): the median per tenant, analyst and step, and the count.
  const metrics = await request(engine.app).get('/metrics').set(auth(engine.key('admin')));
  expect(metrics.status).toBe(200);
  for (const [step, seconds] of [['claim', figures?.toClaimSeconds], ['recommendation', figures?.toRecommendationSeconds], ['close', figures?.toCloseSeconds]] as const) {
    expect(metrics.text).toContain(`soar_service_hours_median_seconds{tenant="mueller-logistik",analyst="dev-analyst",step="${step}"} ${seconds}`);
  }
  expect(metrics.text).toContain('soar_service_figures_alerts{tenant="mueller-logistik",analyst="dev-analyst"} 1');
  const customer = request.agent(engine.app);
  const customerForm = await customer.get('/dashboard/login');
  await customer.post('/dashboard/login').type('form').send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(customerForm.text)?.[1] ?? '', key: engine.key('customer', 'mueller-logistik') });
  expect((await customer.get('/dashboard/service-figures')).status).toBe(403);
});
