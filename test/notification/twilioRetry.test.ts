/**
 * Temporal retries the notification activity when Twilio's answer does not come (a timeout), but Twilio may have
 * created the message or call already, and its Messages and Calls APIs take no idempotency key. The whole engine
 * (the official library against the HTTPS fake, real Temporal retries): an SMS is found on the retry and not sent
 * twice; a call, which nothing at Twilio tells apart from another, is placed again and the possible duplicate is on
 * the record (R8, R19).
 */
import request from 'supertest';
import type { AlertStatus, NotificationRecord } from '../../domain/alertLifecycle';
import { sampleAlert } from '../support/alerts';
import { requestTo } from '../support/vendors/httpsFake';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { startTwilioFake, type RunningTwilioFake } from '../support/vendors/twilioFake';
import { twilioEngineOptions } from './twilioEngine';
import { waitFor } from '../support/waitFor';

const ACCOUNT_SID = `AC${'0a1b2c3d4e5f6789'.repeat(2)}`;
const AUTH_TOKEN = 'twilio-auth-token-retry-4c2a';
/** First escalation steps (config/tenants, config/soc/oncall.yaml): an SMS to the SOC on-call, a call to Anna Schmidt. */
const SMS_TENANT = { id: 'mueller-logistik', number: '+4928219990101' };
const CALL_TENANT = { id: 'rheinwerk-maschinenbau', number: '+4928219990111' };

let engine: TestEngine;
let twilio: RunningTwilioFake;

beforeAll(async () => {
  twilio = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  // Only the first step is paged while a test looks at it.
  engine = await startTestEngine(twilioEngineOptions(twilio, { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }, { stepTimeoutMs: 300_000 }));
});
afterAll(async () => {
  await engine?.stop();
  await twilio?.close();
});

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const read = async (alertId: string, key = engine.key('analyst')) => (await request(engine.app).get(`/v1/alerts/${alertId}`).set(auth(key))).body as AlertStatus;

/** Twilio creates the next message or call and then never answers: the client times out, Temporal retries. */
const stallNextCreate = (resource: 'Messages' | 'Calls') => twilio.faults.add(1, { kind: 'applyThenHang' }, requestTo('POST', `/2010-04-01/Accounts/${ACCOUNT_SID}/${resource}.json`));

/** Submits a critical incident and waits for its first escalation page's record. */
async function firstPage(tenantId: string): Promise<{ alertId: string; page: NotificationRecord; status: AlertStatus }> {
  const submitted = await request(engine.app).post('/v1/alerts').set(auth(engine.key('ingest', tenantId))).send(sampleAlert({ tenantId }));
  expect(submitted.status).toBe(202);
  const alertId = submitted.body.alertId as string;
  const status = await waitFor(() => read(alertId), (s) => s.notifications.some((n) => n.purpose === 'escalation'), 'the first escalation page on the record', 90_000);
  const page = status.notifications.find((n) => n.purpose === 'escalation');
  if (!page) throw new Error('unreachable');
  return { alertId, page, status };
}

/** The attempts Temporal started of the alert's notification activities. */
async function notificationAttempts(alertId: string): Promise<number[]> {
  const events = (await engine.client.workflow.getHandle(alertId).fetchHistory()).events ?? [];
  const scheduled = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendNotification').map((e) => String(e.eventId)));
  return events.filter((e) => scheduled.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId))).map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
}

test('R19 an escalation SMS Twilio created before its answer timed out is found on Temporal’s retry and not sent twice', async () => {
  stallNextCreate('Messages');
  const { alertId, page } = await firstPage(SMS_TENANT.id);

  const sent = twilio.created.filter((r) => r.kind === 'message' && r.content.includes(alertId));
  expect(sent).toHaveLength(1);
  expect(sent[0]?.to).toBe(SMS_TENANT.number);
  expect(page).toMatchObject({ channel: 'sms', recipient: SMS_TENANT.number, delivered: true, messageId: sent[0]?.sid, retryCheck: { outcome: 'recovered', found: [sent[0]?.sid] } });
  // It was Temporal's second attempt that found it, through Twilio's list read.
  expect(await notificationAttempts(alertId)).toContain(2);
  expect(twilio.requests.some((r) => r.method === 'GET' && r.path.endsWith('/Messages.json') && r.query['To'] === SMS_TENANT.number)).toBe(true);
});

test('R19 an escalation call is placed again on the retry (Twilio cannot tell the calls apart) and the possible duplicate is on the record', async () => {
  stallNextCreate('Calls');
  const { alertId, page, status } = await firstPage(CALL_TENANT.id);

  const calls = twilio.created.filter((r) => r.kind === 'call' && r.content.includes(alertId));
  expect(calls.map((c) => c.to)).toEqual([CALL_TENANT.number, CALL_TENANT.number]);
  const [earlier, again] = calls;
  expect(page).toMatchObject({ channel: 'voice', delivered: true, messageId: again?.sid, retryCheck: { outcome: 'possible_duplicate', found: [earlier?.sid] } });
  expect(status.timeline.map((e) => e.detail)).toContainEqual(expect.stringContaining(`sent again as ${again?.sid} after an attempt without an answer; twilio:${new URL(twilio.url).host} lists ${earlier?.sid}`));
  // R17: the SOC's pages, and so their duplicates, are not in the customer's view.
  expect(JSON.stringify(await read(alertId, engine.key('customer', CALL_TENANT.id)))).not.toContain(String(earlier?.sid));
});
