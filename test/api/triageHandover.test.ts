/**
 * Shift change and sickness: a claimed alert is released back to the queue or handed to a named analyst; analysts keep
 * case notes whose author and time are in the record, the history's decision trail (R18), and never in the customer's
 * view (R17). Bad input is refused naming the field and changes nothing.
 */
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { benignAlert, sampleAlert } from '../support/alerts';
import { alwaysInService, startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ policy: (policy: TenantPolicy) => alwaysInService(policy) });
});
afterAll(async () => {
  await engine?.stop();
});

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const analyst = () => engine.key('analyst', undefined, 'dev-analyst');
const schmidt = () => engine.key('analyst', undefined, 'a.schmidt');
const act = (alertId: string, action: string, body: object, key = analyst()) => request(engine.app).post(`/v1/alerts/${alertId}/${action}`).set(auth(key)).send(body);
const read = async (alertId: string, key = analyst()) => (await request(engine.app).get(`/v1/alerts/${alertId}`).set(auth(key))).body as AlertStatus;

async function queued(): Promise<string> {
  const response = await request(engine.app).post('/v1/alerts').set(auth(engine.key('ingest', 'mueller-logistik'))).send(benignAlert({ tenantId: 'mueller-logistik' }));
  expect(response.status).toBe(202);
  await waitFor(() => read(response.body.alertId), (s) => s.state === 'awaiting_triage', 'the alert in the queue');
  return response.body.alertId;
}

test('the assigned analyst releases an alert back to the queue; another analyst claims it', async () => {
  const alertId = await queued();
  expect((await act(alertId, 'claim', {})).status).toBe(200);
  expect((await act(alertId, 'release', {}, schmidt())).status).toBe(409); // not the assignee: nothing changes
  const released = await act(alertId, 'release', {});
  expect(released.status).toBe(200);
  expect(released.body).toMatchObject({ state: 'awaiting_triage', triage: { assignedAnalyst: null, claimedAt: null } });
  const claimed = await act(alertId, 'claim', {}, schmidt());
  expect(claimed.body.triage.assignedAnalyst).toBe('a.schmidt');
  expect(claimed.body.timeline.map((e: { kind: string; actor: string }) => `${e.kind} ${e.actor}`)).toEqual(
    expect.arrayContaining(['claimed analyst:dev-analyst', 'released analyst:dev-analyst', 'claimed analyst:a.schmidt']),
  );
});

test('any analyst hands a claimed alert to a named analyst; an unknown name is refused naming the field', async () => {
  const alertId = await queued();
  await act(alertId, 'claim', {});
  const unknown = await act(alertId, 'reassign', { analyst: 'nobody-here' }, schmidt());
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.issues).toEqual([{ field: 'analyst', message: expect.stringContaining("'nobody-here' is not an analyst") }]);
  expect((await read(alertId)).triage.assignedAnalyst).toBe('dev-analyst');
  const handed = await act(alertId, 'reassign', { analyst: 'a.schmidt' }, schmidt());
  expect(handed.status).toBe(200);
  expect(handed.body.triage.assignedAnalyst).toBe('a.schmidt');
  // Only the new assignee may decide now.
  expect((await act(alertId, 'assessment', { severity: 'low', verdict: 'benign', rationale: 'inventory run' })).status).toBe(409);
  expect((await act(alertId, 'assessment', { severity: 'low', verdict: 'benign', rationale: 'inventory run' }, schmidt())).status).toBe(200);
});

test('R17 R18 case notes carry author and time into the record and the decision trail, never into the customer’s view', async () => {
  const alertId = await queued();
  const empty = await act(alertId, 'notes', { text: '   ' });
  expect(empty.status).toBe(400);
  expect(empty.body.error.issues[0].field).toBe('text');
  const note = 'Customer IT confirmed the inventory job; internal: check the EDR exclusion list';
  const noted = await act(alertId, 'notes', { text: note });
  expect(noted.status).toBe(200);
  expect(noted.body.triage.notes).toEqual([{ at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), author: 'dev-analyst', text: note }]);
  const customer = await read(alertId, engine.key('customer', 'mueller-logistik'));
  expect(JSON.stringify(customer)).not.toContain('EDR exclusion list');
  expect(customer.triage).not.toHaveProperty('notes');
  const trail = await request(engine.app).get(`/v1/audit/alerts/${alertId}/trail`).set(auth(engine.key('auditor')));
  expect(trail.body.entries).toContainEqual(expect.objectContaining({ actor: 'analyst:dev-analyst', detail: `Case note: ${note}`, at: expect.any(String) }));
});

test('R19 a critical incident released back to the queue escalates again', async () => {
  const response = await request(engine.app).post('/v1/alerts').set(auth(engine.key('ingest', 'mueller-logistik'))).send(sampleAlert({ tenantId: 'mueller-logistik' }));
  const alertId: string = response.body.alertId;
  // No channel is configured here: every page fails at once and the chain runs through to the management.
  const pages = (s: AlertStatus) => s.notifications.filter((n) => n.purpose === 'escalation' || n.purpose === 'management_escalation').length;
  const first = await waitFor(() => read(alertId), (s) => s.notifications.some((n) => n.purpose === 'management_escalation'), 'the first escalation');
  expect((await act(alertId, 'claim', {})).status).toBe(200);
  expect((await act(alertId, 'release', {})).status).toBe(200);
  const again = await waitFor(() => read(alertId), (s) => pages(s) >= 2 * pages(first), 'the escalation after the release');
  expect(again.timeline.filter((e) => e.kind === 'escalated' && e.detail.startsWith('Escalation step 1'))).toHaveLength(2);
  // Claimed again: the escalation stops, the alert closes as usual.
  expect((await act(alertId, 'claim', {}, schmidt())).status).toBe(200);
  await act(alertId, 'assessment', { severity: 'critical', verdict: 'false_positive', rationale: 'admin tool' }, schmidt());
  expect((await act(alertId, 'close', { summary: 'False positive' }, schmidt())).body.state).toBe('closed');
});
