/** A notification that finally fails is recorded and escalated to the SOC's on-call, never silently lost. */
import { join } from 'node:path';
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import { startPhoneProviderServer, type RunningPhoneProvider } from '../notification/phoneProviderTestServer';
import { benignAlert } from '../support/alerts';
import { alwaysInService, REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

let engine: TestEngine;
let phone: RunningPhoneProvider;
beforeAll(async () => {
  phone = await startPhoneProviderServer({ status: 201, body: JSON.stringify({ id: 'msg-9', status: 'queued' }) });
  // No e-mail channel configured here: every e-mail fails for good (ChannelNotConfigured).
  engine = await startTestEngine({
    rulesDir: join(REPO, 'test/fixtures/rules'),
    notifications: { phoneBaseUrl: phone.baseUrl },
    policy: alwaysInService,
  });
});
afterAll(async () => {
  await engine?.stop();
  await phone?.close();
});

test('R6 findings that cannot be e-mailed are recorded as failed and the first on-call step is told to reach the customer', async () => {
  const auth = { Authorization: `Bearer ${engine.key('analyst')}` };
  const submitted = await request(engine.app)
    .post('/v1/alerts')
    .set({ Authorization: `Bearer ${engine.key('ingest', 'mueller-logistik')}` })
    .send(benignAlert({ tenantId: 'mueller-logistik', vendorSeverity: 'medium' }));
  const alertId: string = submitted.body.alertId;
  await waitFor(async () => (await request(engine.app).get(`/v1/alerts/${alertId}`).set(auth)).body.state, (s) => s === 'awaiting_triage', 'the queue');
  await request(engine.app).post(`/v1/alerts/${alertId}/claim`).set(auth).send({});
  await request(engine.app).post(`/v1/alerts/${alertId}/assessment`).set(auth).send({ severity: 'medium', verdict: 'true_positive', rationale: 'x' });
  const before = phone.requests.length;
  const response = await request(engine.app).post(`/v1/alerts/${alertId}/recommendation`).set(auth).send({ recommendation: 'Patch the VPN gateway' });
  expect(response.status).toBe(200);
  const status = response.body as AlertStatus;
  const failed = status.notifications.filter((n) => !n.delivered);
  expect(failed.length).toBe(2);
  expect(failed.every((n) => n.failure?.startsWith('ChannelNotConfigured'))).toBe(true);
  const escalation = status.notifications.filter((n) => n.purpose === 'escalation');
  expect(escalation).toEqual([expect.objectContaining({ channel: 'sms', recipient: '+4928219990101', delivered: true })]);
  // The page to the SOC is in the SOC's language (German by default), marked so for the provider.
  const page = JSON.parse(phone.requests[before]?.body ?? '{}') as { body?: string; language?: string };
  expect(page.body).toContain(`Die Benachrichtigung zur Meldung ${alertId} konnte nicht an s.krause@mueller-logistik.example`);
  expect(page.language).toBe('de');
  expect(status.timeline.filter((t) => t.kind === 'notification_failed')).toHaveLength(2);
});
