/**
 * The embedded set-up's outbox: the local mail sink (smtp-server) and SMS/voice sink receive what the engine sends
 * through its real senders, and the admin dashboard lists every message with recipient, channel, language and text.
 * A German tenant's unacknowledged critical incident (R19) ends with a German SMS to its management; an English
 * tenant's in English.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { outboxPage } from '../../api/dashboard/outboxPage';
import { NotFoundError } from '../../domain/refusals';
import { startMessageSinks, type RunningMessageSinks } from '../../infra/outbox/messageSinks';
import { readOutbox, type OutboxEntry } from '../../infra/outbox/outboxFile';
import { sampleAlert } from '../support/alerts';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

let dataDir: string;
let sinks: RunningMessageSinks;
let engine: TestEngine;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'soar-outbox-'));
  sinks = await startMessageSinks({ notifications: { smtp: null, phone: null, twilio: null, sipgate: null, phoneCallbackUrl: null, socLanguage: 'de' }, database: { databaseUrl: null, databaseUrlRef: null, sqliteFile: join(dataDir, 'read-model.sqlite') } });
  engine = await startTestEngine({
    notifications: { smtpPort: sinks.smtpPort, phoneBaseUrl: sinks.phoneUrl },
    outboxFile: sinks.outboxFile,
    policy: (policy: TenantPolicy): TenantPolicy => ({
      ...policy,
      language: policy.id === 'rheinwerk-maschinenbau' ? 'en' : policy.language,
      terms: { ...policy.terms, windows: [{ from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() }] },
      escalation: policy.escalation && { ...policy.escalation, steps: policy.escalation.steps.map((s) => ({ ...s, timeoutMs: 300 })) },
    }),
  });
});
afterAll(async () => {
  await engine?.stop();
  await sinks?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

async function escalatedIncident(tenantId: string): Promise<AlertStatus> {
  const submitted = await request(engine.app).post('/v1/alerts').set(auth(engine.key('ingest', tenantId))).send(sampleAlert({ tenantId }));
  expect(submitted.status).toBe(202);
  return waitFor(
    async () => (await request(engine.app).get(`/v1/alerts/${submitted.body.alertId}`).set(auth(engine.key('analyst')))).body as AlertStatus,
    (s) => s.notifications.some((n) => n.purpose === 'management_escalation'),
    'the escalation to reach management',
    30_000,
  );
}

const sentTo = (recipient: string, alertId: string): OutboxEntry | undefined =>
  readOutbox(sinks.outboxFile, 500).find((e) => e.recipient === recipient && e.text.includes(alertId));

test('R19 a German tenant’s unacknowledged critical incident puts every page and a German SMS to its management in the outbox', async () => {
  const status = await escalatedIncident('mueller-logistik');
  expect(status.notifications.every((n) => n.delivered)).toBe(true);
  const management = sentTo('+491715550123', status.alertId);
  expect(management).toMatchObject({ channel: 'sms', language: 'de', subject: null });
  expect(management?.text).toMatch(/^Ihr SOC meldet einen kritischen Sicherheitsvorfall: .*Bitte rufen Sie das SOC zurück/);
  // The SOC's own on-call chain: SMS, voice call and e-mail, each in the outbox.
  const channels = readOutbox(sinks.outboxFile, 500).filter((e) => e.text.includes(status.alertId)).map((e) => [e.channel, e.recipient]);
  expect(channels).toEqual(expect.arrayContaining([['sms', '+4928219990101'], ['voice', '+4928219990102'], ['email', 'soc-lead@soc-provider.example']]));
});

test('R19 an English tenant’s management is written to in English', async () => {
  const status = await escalatedIncident('rheinwerk-maschinenbau');
  const management = status.notifications.find((n) => n.purpose === 'management_escalation');
  const entry = sentTo(management?.recipient ?? '', status.alertId);
  expect(entry).toMatchObject({ channel: 'sms', language: 'en' });
  expect(entry?.text).toMatch(/^Your SOC reports a critical security incident: .*Please call the SOC back/);
});

test('the admin dashboard lists the outbox with recipient, channel, language and text; analysts may not read it', async () => {
  const status = await escalatedIncident('mueller-logistik');
  const agent = request.agent(engine.app);
  const form = await agent.get('/dashboard/login');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
  await agent.post('/dashboard/login').type('form').send({ _csrf: csrf, key: engine.key('admin') });
  const page = await agent.get('/dashboard/outbox');
  expect(page.status).toBe(200);
  expect(page.text).toMatch(new RegExp(`<td>sms</td><td>\\+491715550123</td><td>de</td><td><pre>Ihr SOC meldet [^<]*${status.alertId.replace(/\./g, '\\.')}`));

  const analyst = request.agent(engine.app);
  const analystForm = await analyst.get('/dashboard/login');
  await analyst.post('/dashboard/login').type('form').send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(analystForm.text)?.[1] ?? '', key: engine.key('analyst') });
  expect((await analyst.get('/dashboard/outbox')).status).toBe(403);
});

test('outside the embedded set-up there is no outbox page', () => {
  const admin = { id: 's', principal: { keyId: 'dev-admin', role: 'admin' as const, tenantId: null }, csrfToken: 't', expiresAt: Date.now() + 60_000 };
  expect(() => outboxPage(null, admin)).toThrow(NotFoundError);
});
