/**
 * Packages 2 and 3 through the REST API alone: waiting for service hours (R5), analyst triage (R2, R6, R7),
 * containment advice and the hand-off to response (R8), and escalation when nobody acknowledges (R19).
 * Service windows and escalation timeouts are inputs of the workflow, so these tests wait seconds, not days.
 */
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import { NEXT_WAKE_AT } from '../../domain/searchAttributes';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { AnalystQueue } from '../../api/triage/analystQueue';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { startPhoneProviderServer, type RunningPhoneProvider } from '../notification/phoneProviderTestServer';
import { startSmtpTestServer, type RunningSmtpServer } from '../notification/smtpTestServer';
import { benignAlert, sampleAlert } from '../support/alerts';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';
import { join } from 'node:path';

let engine: TestEngine;
let smtp: RunningSmtpServer;
let phone: RunningPhoneProvider;
/** Service opens this many ms after intake (negative: already open). */
let opensInMs = -60_000;
const ESCALATION_STEP_MS = 1_500;

beforeAll(async () => {
  smtp = await startSmtpTestServer({ startTls: false });
  phone = await startPhoneProviderServer({ status: 201, body: JSON.stringify({ id: 'msg-4711', status: 'queued' }) });
  engine = await startTestEngine({
    rulesDir: join(REPO, 'test/fixtures/rules'),
    notifications: { smtpPort: smtp.port, phoneBaseUrl: phone.baseUrl },
    policy: (policy: TenantPolicy): TenantPolicy => ({
      ...policy,
      terms: { ...policy.terms, windows: [{ from: new Date(Date.now() + opensInMs).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() }] },
      escalation: policy.escalation && { ...policy.escalation, steps: policy.escalation.steps.map((s) => ({ ...s, timeoutMs: ESCALATION_STEP_MS })) },
    }),
  });
});
afterAll(async () => {
  await engine?.stop();
  await smtp?.close();
  await phone?.close();
});
beforeEach(() => {
  opensInMs = -60_000;
});

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const analyst = () => engine.key('analyst');

async function submit(body: object, tenantId: string): Promise<string> {
  const response = await request(engine.app).post('/v1/alerts').set(auth(engine.key('ingest', tenantId))).send(body);
  expect(response.status).toBe(202);
  return response.body.alertId;
}
const read = async (alertId: string, key = analyst()) => (await request(engine.app).get(`/v1/alerts/${alertId}`).set(auth(key))).body as AlertStatus;
const untilState = (alertId: string, state: AlertStatus['state']) => waitFor(() => read(alertId), (s) => s.state === state, `state ${state}`);
const act = (alertId: string, action: string, body: object, key = analyst()) =>
  request(engine.app).post(`/v1/alerts/${alertId}/${action}`).set(auth(key)).send(body);

describe('R5 support hours', () => {
  test('R5 outside service hours a package-2 alert waits visibly, then enters the queue by itself when service opens', async () => {
    opensInMs = 4_000;
    const alertId = await submit(benignAlert({ tenantId: 'mueller-logistik', vendorSeverity: 'high' }), 'mueller-logistik');
    const waiting = await untilState(alertId, 'awaiting_support_hours');
    expect(Date.parse(waiting.nextWakeAt ?? '')).toBeGreaterThan(Date.now() - 1_000);
    const description = await engine.client.workflow.getHandle(alertId).describe();
    expect(description.typedSearchAttributes.get(NEXT_WAKE_AT)?.toISOString()).toBe(waiting.nextWakeAt);
    expect((await act(alertId, 'claim', {})).status).toBe(409);
    const queued = await untilState(alertId, 'awaiting_triage');
    expect(queued.nextWakeAt).toBeNull();
    expect(queued.timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(['awaiting_support_hours', 'queued']));

    // From there to closed through the REST API alone.
    expect((await act(alertId, 'claim', {})).status).toBe(200);
    expect((await act(alertId, 'assessment', { severity: 'high', verdict: 'true_positive', rationale: 'Confirmed' })).status).toBe(200);
    expect((await act(alertId, 'recommendation', { recommendation: 'Reset the password of j.becker' })).status).toBe(200);
    expect(await engine.readModel.recommendationOf(alertId)).toBe('Reset the password of j.becker');
    const closed = await act(alertId, 'close', { summary: 'Recommendation passed on' });
    expect(closed.body.state).toBe('closed');
    expect(await engine.readModel.find(alertId)).toMatchObject({ state: 'closed', severity: 'high' });
  });
});

describe('R6 R7 analyst triage of a package-2 alert, through the REST API alone', () => {
  test('R6 an analyst claims, sets the final severity, checks IoCs, recommends and closes; the contacts get the findings', async () => {
    const alertId = await submit(benignAlert({ tenantId: 'mueller-logistik', vendorSeverity: 'high' }), 'mueller-logistik');
    await untilState(alertId, 'awaiting_triage');
    const claimed = await act(alertId, 'claim', {});
    expect(claimed.status).toBe(200);
    expect(claimed.body.triage.assignedAnalyst).toBe('dev-analyst');

    const assessed = await act(alertId, 'assessment', { severity: 'medium', verdict: 'true_positive', rationale: 'Inventory agent misbehaving' });
    expect(assessed.body).toMatchObject({ severity: 'medium', classification: { decidedBy: { kind: 'analyst', analyst: 'dev-analyst' } } });
    const iocs = await act(alertId, 'iocs', { iocs: [{ type: 'ip', value: '203.0.113.7', finding: 'malicious', note: 'known C2' }] });
    expect(iocs.body.triage.iocs).toHaveLength(1);

    const mailsBefore = smtp.received.length;
    const recommended = await act(alertId, 'recommendation', { recommendation: 'Block 203.0.113.7 at the perimeter' });
    expect(recommended.status).toBe(200);
    // R7: below critical there is no response: the alert stays with the analyst.
    expect(recommended.body.state).toBe('in_triage');
    const mediumContacts = ['s.krause@mueller-logistik.example', 'it-sicherheit@mueller-logistik.example'];
    const delivered = recommended.body.notifications.filter((n: { delivered: boolean }) => n.delivered);
    expect(delivered.map((n: { recipient: string }) => n.recipient).sort()).toEqual([...mediumContacts].sort());
    const mails = smtp.received.slice(mailsBefore);
    expect(mails.flatMap((m) => m.rcptTo).sort()).toEqual([...mediumContacts].sort());
    expect(mails[0]?.mail.text).toContain('Block 203.0.113.7 at the perimeter');
    expect(mails[0]?.mail.text).toContain('Geprüfte Indikatoren: ip 203.0.113.7 (bösartig).');

    const closed = await act(alertId, 'close', { summary: 'Customer informed; no further action' });
    expect(closed.body.state).toBe('closed');
    const final: AlertStatus = await engine.client.workflow.getHandle(alertId).result();
    expect(final.timeline.map((t) => t.kind)).toEqual(
      expect.arrayContaining(['queued', 'claimed', 'assessed', 'iocs_checked', 'recommended', 'notified', 'closed']),
    );
    expect((await engine.client.workflow.getHandle(alertId).describe()).status.name).toBe('COMPLETED');
  });

  test('R2 a customer can neither claim nor set a severity', async () => {
    const alertId = await submit(benignAlert({ tenantId: 'mueller-logistik', vendorSeverity: 'low' }), 'mueller-logistik');
    await untilState(alertId, 'awaiting_triage');
    const customer = engine.key('customer', 'mueller-logistik');
    expect((await act(alertId, 'claim', {}, customer)).status).toBe(403);
    expect((await act(alertId, 'assessment', { severity: 'low', verdict: 'benign', rationale: 'x' }, customer)).status).toBe(403);
    expect((await read(alertId)).triage.assignedAnalyst).toBeNull();
  });

  test('a refused decision answers 409 with the reason and leaves no trace in the history', async () => {
    const alertId = await submit(benignAlert({ tenantId: 'mueller-logistik', vendorSeverity: 'low' }), 'mueller-logistik');
    await untilState(alertId, 'awaiting_triage');
    expect((await act(alertId, 'claim', {})).status).toBe(200);
    const other = await act(alertId, 'assessment', { severity: 'low', verdict: 'benign', rationale: 'not mine' }, engine.key('analyst', undefined, 'a.schmidt'));
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain('Only the assigned analyst (dev-analyst)');
    const early = await act(alertId, 'recommendation', { recommendation: 'before assessing' });
    expect(early.status).toBe(409);
    const history = await engine.client.workflow.getHandle(alertId).fetchHistory();
    const updates = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(updates).toHaveLength(1);
  });

  test('400 names the field of a bad decision body', async () => {
    const response = await act('alert.mueller-logistik.edr.00000000000000000000000000000000', 'assessment', { severity: 'urgent', verdict: 'benign', rationale: 'x' });
    expect(response.status).toBe(400);
    expect(response.body.error.issues[0].field).toBe('severity');
  });
});

describe('R8 R19 critical incidents', () => {
  test('R19 a critical incident nobody acknowledges escalates step by step to the management mobile number', async () => {
    const pagesBefore = phone.requests.length;
    const alertId = await submit(sampleAlert({ tenantId: 'mueller-logistik' }), 'mueller-logistik');
    const status = await waitFor(
      () => read(alertId),
      (s) => s.notifications.some((n) => n.purpose === 'management_escalation'),
      'the escalation to reach management',
      30_000,
    );
    const pages = status.notifications.filter((n) => n.purpose === 'escalation' || n.purpose === 'management_escalation');
    expect(pages.map((p) => [p.purpose, p.channel, p.recipient])).toEqual([
      ['escalation', 'sms', '+4928219990101'],
      ['escalation', 'voice', '+4928219990102'],
      ['escalation', 'email', 'soc-lead@soc-provider.example'],
      ['management_escalation', 'sms', '+491715550123'],
    ]);
    expect(pages.every((p) => p.delivered && p.messageId)).toBe(true);
    const sent = phone.requests.slice(pagesBefore).map((r) => JSON.parse(r.body) as { to: string; channel: string });
    expect(sent.map((r) => r.to)).toEqual(['+4928219990101', '+4928219990102', '+491715550123']);
    // The tenant writes German (its default): the management is asked to call back, nothing is admitted.
    const toManagement = JSON.parse(phone.requests.slice(pagesBefore).at(-1)?.body ?? '{}') as { body?: string };
    expect(toManagement.body).toMatch(/^Ihr SOC meldet einen kritischen Sicherheitsvorfall: .* Bitte rufen Sie das SOC zurück/);
    expect(toManagement.body).toMatch(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} MES?Z/);
    const times = pages.map((p) => Date.parse(p.at));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(ESCALATION_STEP_MS - 200);
    expect(status.timeline.filter((t) => t.kind === 'escalated')).toHaveLength(4);
  });

  test('R17 a customer reads an escalated incident without the SOC’s on-call numbers and escalation steps', async () => {
    const alertId = await submit(sampleAlert({ tenantId: 'mueller-logistik' }), 'mueller-logistik');
    await waitFor(() => read(alertId), (s) => s.notifications.some((n) => n.purpose === 'management_escalation'), 'the escalation to reach management', 30_000);
    const customer = await read(alertId, engine.key('customer', 'mueller-logistik'));
    expect(customer.notifications.map((n) => [n.purpose, n.recipient])).toEqual([['management_escalation', '+491715550123']]);
    const text = JSON.stringify(customer);
    for (const internal of ['+4928219990101', '+4928219990102', 'soc-lead@soc-provider.example', 'Escalation step']) expect(text).not.toContain(internal);
    // The analyst's view of the same incident keeps every page.
    expect((await read(alertId)).notifications.filter((n) => n.purpose === 'escalation')).toHaveLength(3);
  });

  test('R19 an acknowledgement stops the escalation', async () => {
    const alertId = await submit(sampleAlert({ tenantId: 'mueller-logistik' }), 'mueller-logistik');
    await waitFor(() => read(alertId), (s) => s.notifications.some((n) => n.purpose === 'escalation'), 'the first page');
    expect((await act(alertId, 'claim', {})).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, ESCALATION_STEP_MS * 2));
    const status = await read(alertId);
    expect(status.notifications.filter((n) => n.purpose === 'escalation')).toHaveLength(1);
    expect(status.notifications.some((n) => n.purpose === 'management_escalation')).toBe(false);
  });

  test('R8 the analyst’s containment advice reaches the responsible people, then the incident is ready for response', async () => {
    const alertId = await submit(sampleAlert({ tenantId: 'mueller-logistik' }), 'mueller-logistik');
    await untilState(alertId, 'awaiting_triage');
    await act(alertId, 'claim', {});
    await act(alertId, 'assessment', { severity: 'critical', verdict: 'true_positive', rationale: 'LSASS dump by procdump' });
    const response = await act(alertId, 'recommendation', { recommendation: 'Disable j.becker and isolate WS-0231' });
    expect(response.body.state).toBe('ready_for_response');
    const advice = response.body.notifications.filter((n: { purpose: string }) => n.purpose === 'containment_advice');
    expect(advice.map((n: { channel: string; recipient: string }) => `${n.channel}:${n.recipient}`).sort()).toEqual(
      ['email:m.mueller@mueller-logistik.example', 'email:s.krause@mueller-logistik.example', 'email:it-sicherheit@mueller-logistik.example', 'sms:+491715550123'].sort(),
    );
    expect(advice.every((n: { delivered: boolean }) => n.delivered)).toBe(true);
  });
});

describe('R11 the analysts’ queue', () => {
  const schmidt = { role: 'analyst', keyId: 'a.schmidt', tenantId: null } as const;
  const weber = { role: 'analyst', keyId: 'b.weber', tenantId: null } as const;
  const queueAt = (iso: string, pageSize?: number) =>
    new AnalystQueue({ client: engine.client, namespace: engine.client.options.namespace, tenants: loadTenantDirectory(join(REPO, 'config/tenants')), now: () => new Date(iso), pageSize });
  const WEDNESDAY = '2027-05-19T08:00:00Z';
  const SUNDAY = '2027-05-23T08:00:00Z';

  test('R11 the fixed SOC contact sees their tenant first on Werktage, not on a Sunday; others get severity, then age', async () => {
    const p3 = await submit(benignAlert({ tenantId: 'rheinwerk-maschinenbau', vendorSeverity: 'low' }), 'rheinwerk-maschinenbau');
    const p2 = await submit(benignAlert({ tenantId: 'mueller-logistik', vendorSeverity: 'high' }), 'mueller-logistik');
    await untilState(p3, 'awaiting_triage');
    await untilState(p2, 'awaiting_triage');
    const queue = async (principal: typeof schmidt | typeof weber, at: string) =>
      waitFor(
        async () => (await queueAt(at).list(principal, 200)).items,
        (items) => [p2, p3].every((id) => items.some((i) => i.alertId === id)),
        'both alerts in the queue',
      );
    const position = (items: { alertId: string }[], id: string) => items.findIndex((i) => i.alertId === id);
    const schmidtWednesday = await queue(schmidt, WEDNESDAY);
    expect(position(schmidtWednesday, p3)).toBeLessThan(position(schmidtWednesday, p2));
    expect(schmidtWednesday.find((i) => i.alertId === p3)?.routedTo).toBe('a.schmidt');
    const schmidtSunday = await queue(schmidt, SUNDAY);
    expect(position(schmidtSunday, p2)).toBeLessThan(position(schmidtSunday, p3));
    expect(schmidtSunday.find((i) => i.alertId === p3)?.routedTo).toBeNull();
    const weberWednesday = await queue(weber, WEDNESDAY);
    expect(position(weberWednesday, p2)).toBeLessThan(position(weberWednesday, p3));
    const listed = await request(engine.app).get('/v1/queue?limit=200').set(auth(analyst()));
    expect(listed.status).toBe(200);
    expect((await request(engine.app).get('/v1/queue').set(auth(engine.key('customer', 'mueller-logistik')))).status).toBe(403);
  });

  test('R11 the queue orders every open alert, not the first page it reads: one alert per page gives the same head', async () => {
    const critical = await submit(sampleAlert({ tenantId: 'mueller-logistik' }), 'mueller-logistik');
    await untilState(critical, 'awaiting_triage');
    const whole = (await queueAt(WEDNESDAY).list(weber, 10_000)).items;
    expect(whole.length).toBeGreaterThan(2);
    const paged = (await queueAt(WEDNESDAY, 1).list(weber, 3)).items;
    expect(paged.map((i) => i.alertId)).toEqual(whole.slice(0, 3).map((i) => i.alertId));
    expect(paged[0]?.severity).toBe('critical');
  });
});
