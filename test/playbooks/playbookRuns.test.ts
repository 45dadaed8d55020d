/**
 * Playbook runs through the REST API on a real Temporal server (R7-R12, R19), with the vendor activities replaced
 * by typed fakes: these tests are about orchestration (the engine's inserted checks, approvals, notices, undo).
 * The real adapters are tested against HTTPS fakes of the vendors in test/response.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import request from 'supertest';
import { temporal } from '@temporalio/proto';
import { join } from 'node:path';
import type { AlertActivities } from '../../activities';
import type { PlaybookRunStatus } from '../../domain/response/playbookRun';
import type { PolicyContact, TenantPolicy } from '../../domain/tenantPolicy';
import { startPhoneProviderServer, type RunningPhoneProvider } from '../notification/phoneProviderTestServer';
import { startSmtpTestServer, type RunningSmtpServer } from '../notification/smtpTestServer';
import { defenderThreat, sampleAlert } from '../support/alerts';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';
import { FakeVendors } from './fakeVendors';
import { auth, PlaybookHarness } from './playbookHarness';

let engine: TestEngine;
let smtp: RunningSmtpServer;
let phone: RunningPhoneProvider;
let vendors: FakeVendors;
/** Service windows as the next alert's workflow sees them (R9 tests close the window for a while). */
let windows: { from: string; to: string }[] = [];
let approvalTimeoutMs = 60_000;
let approvalValidityMs = 3_600_000;
/** The next alert's contacts, when a test replaces the tenant's. */
let contacts: PolicyContact[] | null = null;
const harness = new PlaybookHarness(() => engine);

/** The shipped playbooks plus a copy of compromised-account whose first step is marked `undoOnFailure`. */
function playbooksWithUndoOnFailure(): string {
  const dir = mkdtempSync(join(tmpdir(), 'soar-playbooks-'));
  cpSync(join(REPO, 'playbooks'), dir, { recursive: true });
  const text = readFileSync(join(dir, 'compromised-account.yaml'), 'utf8')
    .replace('id: compromised-account', 'id: compromised-account-undo-on-failure')
    .replace('    target: { alert: users }\n  - id: revoke-sessions', '    target: { alert: users }\n    undoOnFailure: true\n  - id: revoke-sessions');
  writeFileSync(join(dir, 'compromised-account-undo-on-failure.yaml'), text);
  return dir;
}

beforeAll(async () => {
  smtp = await startSmtpTestServer({ startTls: false });
  phone = await startPhoneProviderServer({ status: 201, body: JSON.stringify({ id: 'msg-1', status: 'queued' }) });
  vendors = new FakeVendors(() => smtp.received.length);
  engine = await startTestEngine({
    rulesDir: join(REPO, 'test/fixtures/rules'),
    playbooksDir: playbooksWithUndoOnFailure(),
    notifications: { smtpPort: smtp.port, phoneBaseUrl: phone.baseUrl },
    activities: (real) => ({ ...real, ...vendors.activities() }) as AlertActivities,
    policy: (policy: TenantPolicy): TenantPolicy => ({
      ...policy,
      terms: { ...policy.terms, windows },
      escalation: policy.escalation && { ...policy.escalation, steps: policy.escalation.steps.map((s) => ({ ...s, timeoutMs: 1_500 })) },
      response: { ...policy.response, approvalTimeoutMs, approvalValidityMs },
      contacts: contacts ?? policy.contacts,
    }),
  });
});
afterAll(async () => {
  await engine?.stop();
  await smtp?.close();
  await phone?.close();
});
beforeEach(() => {
  windows = [{ from: '2020-01-01T00:00:00Z', to: '2050-01-01T00:00:00Z' }];
  approvalTimeoutMs = 60_000;
  approvalValidityMs = 3_600_000;
  contacts = null;
});

const mueller = (upn = `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`, ips: string[] = ['203.0.113.7']) =>
  sampleAlert({
    tenantId: 'mueller-logistik',
    source: 'm365',
    title: 'Atypical sign-in followed by inbox rule',
    entities: { users: [{ name: upn, upn }], hosts: [], ips: ips.map((address) => ({ address, role: 'source' as const })), files: [], processes: [], urls: [] },
  });

const actionsOf = (run: PlaybookRunStatus, stepId: string) => run.actions.filter((a) => a.stepId === stepId);

describe('R8 compromised account on a package-2 tenant', () => {
  test('R8 four-eyes refuses the approval of an account disable by the analyst who started the run with 409, leaving no history event', async () => {
    const alertId = await harness.readyForResponse(mueller());
    expect((await harness.startPlaybook(alertId, 'compromised-account')).status).toBe(201);
    const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    const disable = waiting.actions.find((a) => a.action === 'm365.disableUser');
    expect(disable?.approval).toMatchObject({ required: true, fourEyes: true });
    const handle = engine.client.workflow.getHandle(`${alertId}.run-1`);
    const completed = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
    const isTaskCompleted = (type: unknown) => type === completed || type === temporal.api.enums.v1.EventType[completed];
    // The run is idle first (its approval request's side tasks done), so that whatever the refusal added would show.
    const idle = async () => {
      const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
      const events = history.events ?? [];
      return { events, pending: description.raw.pendingActivities?.length ?? 0 };
    };
    const before = (
      await waitFor(idle, ({ events, pending }) => pending === 0 && isTaskCompleted(events.at(-1)?.eventType), 'the run idle, awaiting its approval')
    ).events;

    const own = await harness.decide(alertId, 'run-1', { digest: disable?.digest ?? '', decision: 'approve', reason: 'my own run' }, harness.analyst());
    expect(own.status).toBe(409);
    expect(own.body.error.message).toBe('R8 four-eyes: analyst:dev-analyst started this run and may not approve its m365.disableUser; another analyst or admin must approve');
    const after = (await handle.fetchHistory()).events ?? [];
    expect(after).toHaveLength(before.length);
    expect(after.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateCompletedEventAttributes)).toBe(false);

    const other = await harness.decide(alertId, 'run-1', { digest: disable?.digest ?? '', decision: 'approve', reason: 'second pair of eyes' });
    expect(other.status).toBe(200);
    expect(other.body.approval).toMatchObject({ decision: 'approve', by: 'analyst:a.schmidt', fourEyes: true });

    // R17: the customer sees its measures, not who in the SOC approved them or why; an ingest key reads no run.
    await harness.untilRun(alertId, 'run-1', (r) => r.state !== 'running', 'the run to end');
    const seen = await harness.run(alertId, 'run-1', engine.key('customer', 'mueller-logistik'));
    expect(seen.startedBy).toBe('soc');
    expect(seen.actions.find((a) => a.action === 'm365.disableUser')?.approval).toMatchObject({ decision: 'approve', by: 'soc', reason: null });
    const text = JSON.stringify(seen);
    for (const internal of ['a.schmidt', 'dev-analyst', 'second pair of eyes']) expect(text).not.toContain(internal);
    const ingest = await request(engine.app).get(`/v1/alerts/${alertId}/playbooks/run-1`).set(auth(engine.key('ingest', 'mueller-logistik')));
    expect(ingest.status).toBe(403);
  });

  test('R8 matrix check, an approval bound to the digest, the customer told first, then the vendor; what the matrix does not list goes to a human', async () => {
    const upn = `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`;
    const alertId = await harness.readyForResponse(mueller(upn));
    const started = await harness.startPlaybook(alertId, 'compromised-account');
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ runId: 'run-1', playbookId: 'compromised-account', state: 'running' });

    const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    const disable = waiting.actions.find((a) => a.action === 'm365.disableUser');
    expect(disable).toMatchObject({ state: 'awaiting_approval', target: { kind: 'user', upn }, matrix: { allowed: true, requiresApproval: true } });
    expect(disable?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(vendors.callsOf('m365DisableUser', alertId)).toHaveLength(0);

    // An approval bound to another digest approves nothing.
    const wrong = await harness.decide(alertId, 'run-1', { digest: `sha256:${'0'.repeat(64)}`, decision: 'approve' });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.message).toContain('No action of this run has the digest');
    // A customer cannot approve.
    const customer = await harness.decide(alertId, 'run-1', { digest: disable?.digest ?? '', decision: 'approve' }, engine.key('customer', 'mueller-logistik'));
    expect(customer.status).toBe(403);

    const approved = await harness.decide(alertId, 'run-1', { digest: disable?.digest ?? '', decision: 'approve', reason: 'Confirmed by phone' });
    expect(approved.status).toBe(200);
    expect(approved.body.approval).toMatchObject({ decision: 'approve', by: 'analyst:a.schmidt', digest: disable?.digest });
    // A re-send of the same decision (the answer was lost) gets the first answer again; another approver gets a conflict.
    const resent = await harness.decide(alertId, 'run-1', { digest: disable?.digest ?? '', decision: 'approve', reason: 'Confirmed by phone' });
    expect(resent.status).toBe(200);
    expect(resent.body.approval).toEqual(approved.body.approval);
    const second = await harness.decide(alertId, 'run-1', { digest: disable?.digest ?? '', decision: 'approve', reason: 'me too' }, engine.key('admin'));
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain('not waiting for a decision');

    const run = await harness.untilRun(alertId, 'run-1', (r) => r.state !== 'running', 'the run to end');
    expect(run.state).toBe('completed_with_handoffs');
    const [disabled] = actionsOf(run, 'disable-user');
    expect(disabled).toMatchObject({ state: 'done', undo: { action: 'm365.enableUser', state: 'registered' } });
    // R8: the notice went out, was delivered, and came before the vendor call.
    const notice = run.notifications[disabled?.notices[0] ?? -1];
    expect(notice).toMatchObject({ purpose: 'measure_notice', delivered: true, recipient: 'm.mueller@mueller-logistik.example' });
    const call = vendors.callsOf('m365DisableUser', alertId)[0];
    expect(call?.request.target).toMatchObject({ kind: 'user', upn });
    const noticeMail = smtp.received.findIndex((m) => m.mail.text?.includes(disabled?.digest ?? 'none'));
    expect(noticeMail).toBeGreaterThanOrEqual(0);
    expect(noticeMail).toBeLessThan(call?.mailsBefore ?? -1);
    // Revoking sessions needs no approval in this tenant's matrix.
    expect(actionsOf(run, 'revoke-sessions')[0]).toMatchObject({ state: 'done', approval: { required: false } });
    // Confirming a compromise is not in the matrix: handed to a human, the vendor never called.
    expect(actionsOf(run, 'confirm-compromised')[0]).toMatchObject({ state: 'handed_to_human', matrix: { allowed: false } });
    expect(actionsOf(run, 'confirm-compromised')[0]?.reason).toMatch(/^R8: /);
    expect(vendors.callsOf('m365ConfirmCompromised', alertId)).toHaveLength(0);
    // Commenting on the source alert is bookkeeping, not a measure.
    expect(vendors.callsOf('m365CommentAlert', alertId)[0]?.request.target).toMatchObject({ kind: 'alert', source: 'm365' });

    // The run tells its alert by signal: the alert's summary follows a moment later.
    const alert = await waitFor(() => harness.read(alertId), (a) => a.response.runs[0]?.state !== 'running', 'the alert to hear that its run ended');
    expect(alert.response.runs).toEqual([expect.objectContaining({ runId: 'run-1', state: 'completed_with_handoffs' })]);
  });

  test('R8 an account the matrix excepts (break-glass) is handed to a human and the vendor is never called', async () => {
    const alertId = await harness.readyForResponse(mueller('breakglass-01@mueller-logistik.example'));
    expect((await harness.startPlaybook(alertId, 'compromised-account')).status).toBe(201);
    const run = await harness.untilRun(alertId, 'run-1', (r) => r.state !== 'running', 'the run to end');
    expect(actionsOf(run, 'disable-user')[0]).toMatchObject({ state: 'handed_to_human' });
    expect(actionsOf(run, 'disable-user')[0]?.reason).toContain('breakglass-*@mueller-logistik.example');
    expect(vendors.callsOf('m365DisableUser', alertId)).toHaveLength(0);
    expect(vendors.callsOf('m365RevokeSessions', alertId)).toHaveLength(0);
  });

  test('R8 a playbook that is not predefined is refused, and nothing else can carry out a measure', async () => {
    const alertId = await harness.readyForResponse(mueller());
    const adHoc = await harness.startPlaybook(alertId, 'disable-everyone');
    expect(adHoc.status).toBe(404);
    expect(adHoc.body.error.message).toContain('R8: only predefined playbooks may run');
    const direct = await harness.act(alertId, 'actions', { action: 'm365.disableUser' });
    expect(direct.status).toBe(404);
    expect((await harness.read(alertId)).response.runs).toEqual([]);
  });

  test('R7 a high alert of package 2 gets a recommendation only: no playbook starts', async () => {
    const alertId = await harness.submit(mueller());
    await harness.untilAwaitingTriage(alertId);
    await harness.act(alertId, 'claim', {});
    await harness.act(alertId, 'assessment', { severity: 'high', verdict: 'true_positive', rationale: 'Real, not critical' });
    await harness.act(alertId, 'recommendation', { recommendation: 'Reset the password' });
    const refused = await harness.startPlaybook(alertId, 'compromised-account');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/Cannot start a playbook: R7: /);
  });
});

describe('undo and failures', () => {
  test('R8 undo on an analyst\'s request reverses the measures in reverse order, telling the customer first', async () => {
    const alertId = await harness.readyForResponse(mueller());
    await harness.startPlaybook(alertId, 'compromised-account');
    const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    const digest = waiting.actions.find((a) => a.state === 'awaiting_approval')?.digest ?? '';
    await harness.decide(alertId, 'run-1', { digest, decision: 'approve', reason: 'ok' });
    await harness.untilRun(alertId, 'run-1', (r) => r.state !== 'running', 'the run to end');
    const mailsBefore = smtp.received.length;
    const undo = await harness.undo(alertId, 'run-1', 'False positive after all: the user travelled');
    expect(undo.status).toBe(200);
    const undone = await harness.untilRun(alertId, 'run-1', (r) => r.state === 'undone', 'the undo');
    expect(actionsOf(undone, 'disable-user')[0]).toMatchObject({ state: 'undone', undo: { action: 'm365.enableUser', state: 'undone' } });
    const enable = vendors.callsOf('m365EnableUser', alertId);
    expect(enable).toHaveLength(1);
    expect(enable[0]?.mailsBefore).toBeGreaterThan(mailsBefore);
    expect(undone.timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(['undo_requested', 'undone']));
    expect((await harness.undo(alertId, 'run-1', 'again')).status).toBe(409);
  });

  test('R8 a vendor\'s permanent refusal fails the run and pages the SOC; containment is kept, not undone, until an analyst asks', async () => {
    const alertId = await harness.readyForResponse(mueller());
    vendors.failures.set('m365RevokeSessions', { type: 'VendorRefused', message: 'Graph refused: 403 Authorization_RequestDenied: Insufficient privileges' });
    try {
      await harness.startPlaybook(alertId, 'compromised-account');
      const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
      await harness.decide(alertId, 'run-1', { digest: waiting.actions[0]?.digest ?? '', decision: 'approve', reason: 'ok' });
      const failed = await harness.untilRun(alertId, 'run-1', (r) => r.state === 'failed' && r.timeline.some((t) => t.detail.includes('containment kept')), 'the failed run');
      expect(actionsOf(failed, 'revoke-sessions')[0]).toMatchObject({ state: 'failed' });
      expect(actionsOf(failed, 'revoke-sessions')[0]?.reason).toContain('403 Authorization_RequestDenied');
      expect(actionsOf(failed, 'disable-user')[0]).toMatchObject({ state: 'done', undo: { action: 'm365.enableUser', state: 'registered' } });
      expect(failed.notifications.find((n) => n.purpose === 'response_failure')).toMatchObject({ delivered: true });
      expect(vendors.callsOf('m365ConfirmCompromised', alertId)).toHaveLength(0);
      expect(vendors.callsOf('m365EnableUser', alertId)).toHaveLength(0);

      expect((await harness.undo(alertId, 'run-1', 'The customer confirms the sign-in was the user')).status).toBe(200);
      const undone = await harness.untilRun(alertId, 'run-1', (r) => r.state === 'undone', 'the undo on request');
      expect(actionsOf(undone, 'disable-user')[0]).toMatchObject({ state: 'undone', undo: { state: 'undone' } });
      expect(vendors.callsOf('m365EnableUser', alertId)).toHaveLength(1);
      expect((await harness.undo(alertId, 'run-1', 'again')).status).toBe(409);
    } finally {
      vendors.failures.clear();
    }
  });

  test('R8 a step marked undoOnFailure is undone by itself when a later measure fails; other containment stays', async () => {
    const alertId = await harness.readyForResponse(mueller());
    vendors.failures.set('m365RevokeSessions', { type: 'VendorRefused', message: 'Graph refused: 403 Authorization_RequestDenied' });
    try {
      await harness.startPlaybook(alertId, 'compromised-account-undo-on-failure');
      const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
      await harness.decide(alertId, 'run-1', { digest: waiting.actions[0]?.digest ?? '', decision: 'approve', reason: 'ok' });
      const failed = await harness.untilRun(alertId, 'run-1', (r) => r.state === 'failed' && r.actions.some((a) => a.undo?.state === 'undone'), 'the marked step undone');
      expect(actionsOf(failed, 'disable-user')[0]).toMatchObject({ state: 'undone' });
      expect(vendors.callsOf('m365EnableUser', alertId)).toHaveLength(1);
    } finally {
      vendors.failures.clear();
    }
  });
});

describe('R9 R19 waiting', () => {
  test('R19 an approval nobody decides escalates along the on-call chain', async () => {
    approvalTimeoutMs = 1_000;
    const alertId = await harness.readyForResponse(mueller());
    await harness.startPlaybook(alertId, 'compromised-account');
    const run = await harness.untilRun(alertId, 'run-1', (r) => r.notifications.filter((n) => n.purpose === 'escalation').length >= 2, 'two escalation pages', 20_000);
    expect(run.timeline.filter((t) => t.kind === 'escalated').length).toBeGreaterThanOrEqual(2);
    expect(run.actions[0]).toMatchObject({ state: 'awaiting_approval' });
    expect(vendors.callsOf('m365DisableUser', alertId)).toHaveLength(0);
  });

  test('R9 a package-2 measure approved outside service hours waits for them, visibly, and then runs', async () => {
    const now = Date.now();
    windows = [
      { from: new Date(now - 60_000).toISOString(), to: new Date(now + 8_000).toISOString() },
      { from: new Date(now + 14_000).toISOString(), to: new Date(now + 3_600_000).toISOString() },
    ];
    const alertId = await harness.readyForResponse(mueller());
    await harness.startPlaybook(alertId, 'compromised-account');
    const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, now + 9_000 - Date.now())));
    await harness.decide(alertId, 'run-1', { digest: waiting.actions[0]?.digest ?? '', decision: 'approve', reason: 'ok' });
    const paused = await harness.untilRun(alertId, 'run-1', (r) => r.actions[0]?.state === 'waiting_for_service', 'waiting for service');
    expect(Date.parse(paused.nextWakeAt ?? '')).toBe(Date.parse(windows[1]?.from ?? ''));
    expect(vendors.callsOf('m365DisableUser', alertId)).toHaveLength(0);
    const done = await harness.untilRun(alertId, 'run-1', (r) => r.actions[0]?.state === 'done', 'the measure after service opened', 30_000);
    expect(done.nextWakeAt).toBeNull();
    expect(vendors.callsOf('m365DisableUser', alertId)[0]?.request.target).toMatchObject({ kind: 'user' });
  });
});

describe('R8 responsible people', () => {
  const billing: PolicyContact = { name: 'Lena Kaufmann', role: 'billing', email: 'buchhaltung@mueller-logistik.example', phone: '+491715550999', mobile: true, notify: ['critical'] };
  const it: PolicyContact = { name: 'Stefan Krause', role: 'it', email: 's.krause@mueller-logistik.example', phone: null, mobile: false, notify: ['critical'] };

  test('R8 the notice before a measure goes to responsible people (management, IT, security), never to a billing contact', async () => {
    contacts = [billing, it];
    const alertId = await harness.readyForResponse(mueller());
    await harness.startPlaybook(alertId, 'compromised-account');
    const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    await harness.decide(alertId, 'run-1', { digest: waiting.actions[0]?.digest ?? '', decision: 'approve', reason: 'ok' });
    const done = await harness.untilRun(alertId, 'run-1', (r) => r.actions[0]?.state === 'done', 'the measure');
    const notices = done.notifications.filter((n) => n.purpose === 'measure_notice');
    expect(notices.map((n) => n.recipient)).toEqual([it.email]);
    expect(done.actions[0]?.notices.map((i) => done.notifications[i]?.recipient)).toEqual([it.email]);
  });

  test('R8 a measure is handed to a human when no responsible person can be informed: a billing contact does not count', async () => {
    contacts = [billing];
    const alertId = await harness.readyForResponse(mueller());
    await harness.startPlaybook(alertId, 'compromised-account');
    const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    await harness.decide(alertId, 'run-1', { digest: waiting.actions[0]?.digest ?? '', decision: 'approve', reason: 'ok' });
    const run = await harness.untilRun(alertId, 'run-1', (r) => r.actions[0]?.state === 'handed_to_human', 'the hand-over');
    expect(run.actions[0]?.reason).toContain('R8: no responsible person');
    expect(run.notifications.filter((n) => n.purpose === 'measure_notice')).toEqual([]);
    expect(vendors.callsOf('m365DisableUser', alertId)).toHaveLength(0);
  });
});

describe('R8 R9 a recommendation given after hours', () => {
  test('R8 R9 a critical incident recommended after service closed becomes ready for response when service opens, without a second mail', async () => {
    const now = Date.now();
    windows = [
      { from: new Date(now - 60_000).toISOString(), to: new Date(now + 4_000).toISOString() },
      { from: new Date(now + 9_000).toISOString(), to: new Date(now + 3_600_000).toISOString() },
    ];
    const alertId = await harness.submit(mueller());
    await harness.untilAwaitingTriage(alertId);
    expect((await harness.act(alertId, 'claim', {})).status).toBe(200);
    expect((await harness.act(alertId, 'assessment', { severity: 'critical', verdict: 'true_positive', rationale: 'Confirmed compromise' })).status).toBe(200);
    // "17:05": service has closed when the analyst recommends.
    await waitFor(async () => Date.now(), (t) => t > now + 4_500, 'service closed');
    const recommended = await harness.act(alertId, 'recommendation', { recommendation: 'Contain the account' });
    expect(recommended.status).toBe(200);
    expect(recommended.body.state).toBe('in_triage');
    const waiting = await waitFor(() => harness.read(alertId), (s) => s.nextWakeAt !== null, 'the wait for service, visible');
    expect(Date.parse(waiting.nextWakeAt ?? '')).toBe(Date.parse(windows[1]?.from ?? ''));
    const adviceMails = (s: { notifications: { purpose: string; channel: string }[] }) => s.notifications.filter((n) => n.purpose === 'containment_advice' && n.channel === 'email').length;
    const mailed = adviceMails(waiting);
    expect(mailed).toBeGreaterThan(0);
    expect((await harness.startPlaybook(alertId, 'compromised-account')).status).toBe(409);

    const ready = await waitFor(() => harness.read(alertId), (s) => s.state === 'ready_for_response', 'ready for response when service opens', 30_000);
    expect(ready.nextWakeAt).toBeNull();
    expect(adviceMails(ready)).toBe(mailed);
    expect((await harness.startPlaybook(alertId, 'compromised-account')).status).toBe(201);
  });
});

describe('R8 R9 an approval does not outlive a wait', () => {
  test('R8 R9 an approval given before a wait for service hours expires and is asked for again when service opens; the trail shows both', async () => {
    approvalValidityMs = 2_000;
    const now = Date.now();
    windows = [
      { from: new Date(now - 60_000).toISOString(), to: new Date(now + 6_000).toISOString() },
      { from: new Date(now + 11_000).toISOString(), to: new Date(now + 3_600_000).toISOString() },
    ];
    const alertId = await harness.readyForResponse(mueller());
    await harness.startPlaybook(alertId, 'compromised-account');
    const first = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    const digest = first.actions[0]?.digest ?? '';
    // The analyst approves after service has closed ("Friday 16:58" in seconds): the measure must wait for service.
    await waitFor(async () => Date.now(), (t) => t > now + 6_500, 'service closed');
    await harness.decide(alertId, 'run-1', { digest, decision: 'approve', reason: 'Contain before the weekend' });
    await harness.untilRun(alertId, 'run-1', (r) => r.actions[0]?.state === 'waiting_for_service', 'waiting for service');

    const again = await harness.untilRun(alertId, 'run-1', (r) => r.actions[0]?.state === 'awaiting_approval' && r.timeline.some((t) => t.kind === 'approval_expired'), 'the approval asked again', 30_000);
    expect(vendors.callsOf('m365DisableUser', alertId)).toHaveLength(0);
    expect(again.actions[0]?.approval).toMatchObject({ decision: null, digest });
    await harness.decide(alertId, 'run-1', { digest, decision: 'approve', reason: 'Still needed on Monday' });
    const done = await harness.untilRun(alertId, 'run-1', (r) => r.actions[0]?.state === 'done', 'the measure after the second approval');
    const trail = done.timeline.filter((t) => ['approval_requested', 'approved', 'waiting_for_service', 'approval_expired'].includes(t.kind)).map((t) => t.kind);
    expect(trail.slice(0, 6)).toEqual(['approval_requested', 'approved', 'waiting_for_service', 'approval_expired', 'approval_requested', 'approved']);
    const approvals = done.timeline.filter((t) => t.kind === 'approved').map((t) => t.detail);
    expect(approvals[0]).toContain('Contain before the weekend');
    expect(approvals[1]).toContain('Still needed on Monday');
    expect(done.actions[0]?.approval).toMatchObject({ decision: 'approve', asked: 2, reason: 'Still needed on Monday' });
    expect(vendors.callsOf('m365DisableUser', alertId)).toHaveLength(1);
  });

  test('R8 an approval given in service hours is used at once: no second question', async () => {
    approvalValidityMs = 2_000;
    const alertId = await harness.readyForResponse(mueller());
    await harness.startPlaybook(alertId, 'compromised-account');
    const first = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    await harness.decide(alertId, 'run-1', { digest: first.actions[0]?.digest ?? '', decision: 'approve', reason: 'ok' });
    const done = await harness.untilRun(alertId, 'run-1', (r) => r.actions[0]?.state === 'done', 'the measure');
    expect(done.timeline.some((t) => t.kind === 'approval_expired')).toBe(false);
  });
});

describe('R12 firewall', () => {
  test('R12 an attacker address is blocked on the tenant\'s firewall; an internal address is refused before any vendor call', async () => {
    const alertId = await harness.readyForResponse(mueller(undefined, ['203.0.113.7', '10.20.30.40']));
    await harness.startPlaybook(alertId, 'block-attacker-ip');
    const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval') || r.state !== 'running', 'an approval or the end');
    for (const action of waiting.actions.filter((a) => a.state === 'awaiting_approval')) {
      await harness.decide(alertId, 'run-1', { digest: action.digest, decision: 'approve', reason: 'ok' });
    }
    const run = await harness.untilRun(alertId, 'run-1', (r) => r.state !== 'running', 'the run to end');
    const blocks = vendors.callsOf('firewallBlockIp', alertId);
    expect(blocks.map((c) => [c.request.target, c.request.subject])).toEqual([[{ kind: 'firewall', sourceId: 'opnsense-fw1', vendor: 'opnsense' }, { kind: 'ip', address: '203.0.113.7' }]]);
    const internal = run.actions.find((a) => a.subject?.kind === 'ip' && a.subject.address === '10.20.30.40');
    expect(internal).toMatchObject({ state: 'handed_to_human' });
    expect(internal?.reason).toMatch(/^R12: 10\.20\.30\.40 is never blocked/);
  });
});

describe('R11 AI-assisted isolation', () => {
  const rheinwerk = defenderThreat;

  /** The alert as Graph holds it: what the R11 score may use (the body's fields are not verified). */
  const confirmedAtVendor = (alert: ReturnType<typeof rheinwerk>, severity = 'high', verdict: string | null = 'malware') => {
    const hosts = (alert.entities?.hosts ?? []).map((h) => h.hostname.toLowerCase());
    vendors.vendorAlerts.set(alert.externalId, { severity, verdict, detectionSource: 'microsoftDefenderForEndpoint', techniques: verdict ? ['T1003.001'] : [], deviceNames: hosts });
    return alert;
  };

  test('R11 a clearly recognised threat isolates the endpoint by itself, through the matrix check and the prior notice, with its reasoning recorded', async () => {
    const hostname = `WS-${randomUUID().slice(0, 6)}`;
    const alertId = await harness.submit(confirmedAtVendor(rheinwerk(hostname)));
    const alert = await harness.untilAwaitingTriage(alertId).catch(() => harness.read(alertId));
    const assessed = alert.timeline.find((t) => t.kind === 'ai_assessed');
    expect(assessed?.detail).toContain('isolating automatically');
    expect(alert.response.runs[0]).toMatchObject({ playbookId: 'ai-isolation', trigger: 'ai_isolation', startedBy: 'system:ai-isolation' });
    const run = await harness.untilRun(alertId, alert.response.runs[0]?.runId ?? 'run-1', (r) => r.state !== 'running', 'the isolation run');
    expect(run.isolation?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(run.isolation?.reasons.join(' ')).toContain('vendor verdict malware (threat confirmed)');
    const [isolate] = run.actions;
    expect(isolate).toMatchObject({ action: 'defender.isolateDevice', state: 'done', matrix: { allowed: true }, approval: { by: 'system:ai-isolation', decision: 'approve' } });
    expect(run.notifications[isolate?.notices[0] ?? -1]).toMatchObject({ purpose: 'measure_notice', delivered: true });
    const call = vendors.callsOf('defenderIsolateDevice', alertId)[0];
    expect(call?.request.target).toMatchObject({ kind: 'host', hostname: hostname.toLowerCase() });
    expect(call?.request.params).toEqual({ isolationType: 'Full' });
  });

  test('R11 a server the matrix excepts is not isolated automatically, whatever the score', async () => {
    const hostname = `SRV-${randomUUID().slice(0, 6)}`;
    const alertId = await harness.submit(confirmedAtVendor(rheinwerk(hostname)));
    const alert = await harness.untilAwaitingTriage(alertId).catch(() => harness.read(alertId));
    const run = await harness.untilRun(alertId, alert.response.runs[0]?.runId ?? 'run-1', (r) => r.state !== 'running', 'the isolation run');
    expect(run.actions[0]).toMatchObject({ state: 'handed_to_human', matrix: { allowed: false } });
    expect(vendors.callsOf('defenderIsolateDevice', alertId)).toHaveLength(0);
  });

  test('R11 a weak signal is scored and recorded, and nothing is isolated', async () => {
    const weak = rheinwerk(`WS-${randomUUID().slice(0, 6)}`, { vendorSeverity: 'low', techniques: [], raw: { determination: 'unknown' }, title: 'Routine software inventory finished', description: 'inventory' });
    const alertId = await harness.submit(confirmedAtVendor(weak, 'low', null));
    const alert = await harness.untilAwaitingTriage(alertId);
    expect(alert.timeline.find((t) => t.kind === 'ai_assessed')?.detail).toContain('no automatic isolation');
    expect(alert.response.runs).toEqual([]);
  });

  test('R11 a forged alert body with every strong signal, unknown to Graph, is not scored and reaches no vendor measure', async () => {
    const forged = rheinwerk(`WS-${randomUUID().slice(0, 6)}`, { vendorSeverity: 'high', techniques: ['T1486', 'T1003.001', 'T1021'] });
    const alertId = await harness.submit(forged);
    const alert = await harness.untilAwaitingTriage(alertId);
    expect(alert.timeline.find((t) => t.kind === 'ai_assessed')?.detail).toBe(
      `Unverified, so no automatic isolation: Microsoft Graph knows no alert ${forged.externalId}: its body is unverified. A human decides.`,
    );
    expect(alert.response.runs).toEqual([]);
    expect(vendors.calls.filter((c) => c.request.alertId === alertId)).toEqual([]);
  });

  test('R11 a verified alert that does not name the host of the body among its devices isolates nothing', async () => {
    const alert = confirmedAtVendor(rheinwerk(`WS-${randomUUID().slice(0, 6)}`));
    const other = rheinwerk('ws-dc01.rheinwerk.local', { externalId: alert.externalId });
    const alertId = await harness.submit(other);
    const read = await harness.untilAwaitingTriage(alertId);
    expect(read.timeline.find((t) => t.kind === 'ai_assessed')?.detail).toContain('does not name ws-dc01.rheinwerk.local among its devices');
    expect(read.response.runs).toEqual([]);
  });
});

describe('closing', () => {
  test('a close sent the moment a run ended, before the alert has heard of it, waits for that instead of answering 409', async () => {
    const alertId = await harness.readyForResponse(mueller());
    await harness.startPlaybook(alertId, 'compromised-account');
    await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    // An operator terminates the run; the alert hears of its end a moment later (as of a run's signal normally).
    await engine.client.workflow.getHandle(`${alertId}.run-1`).terminate('test: an operator ended the run');
    const closed = await harness.act(alertId, 'close', { summary: 'Customer acted itself' });
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('closed');
    expect(closed.body.response.runs[0]).toMatchObject({ runId: 'run-1', state: 'failed' });
    expect(closed.body.timeline.find((t: { kind: string }) => t.kind === 'playbook_finished')?.detail).toContain('ended abnormally');
  });

  test('an alert cannot close while a run still waits or acts; once closed, its runs finish with their record kept', async () => {
    const alertId = await harness.readyForResponse(mueller());
    await harness.startPlaybook(alertId, 'compromised-account');
    const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    const early = await harness.act(alertId, 'close', { summary: 'done' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('A playbook run is still carrying out or undoing measures');

    const rejected = await harness.decide(alertId, 'run-1', { digest: waiting.actions[0]?.digest ?? '', decision: 'reject', reason: 'The customer disables the account itself' });
    expect(rejected.body).toMatchObject({ state: 'rejected', approval: { decision: 'reject', by: 'analyst:a.schmidt' } });
    expect((await harness.decide(alertId, 'run-1', { digest: waiting.actions[0]?.digest ?? '', decision: 'approve' })).status).toBe(409);
    await harness.untilRun(alertId, 'run-1', (r) => r.state !== 'running', 'the run to end');
    expect(vendors.callsOf('m365DisableUser', alertId)).toHaveLength(0);
    // The run tells its alert of its end by a signal; a close sent the moment the run's own view says it ended waits
    // for that signal instead of answering 409.
    expect((await harness.act(alertId, 'close', { summary: 'Customer acted itself' })).status).toBe(200);
    const final = await engine.client.workflow.getHandle(alertId).result();
    expect(final.response.runs[0]).toMatchObject({ runId: 'run-1', state: 'completed_with_handoffs' });
    const run = await harness.run(alertId, 'run-1');
    expect(run.actions[0]).toMatchObject({ state: 'rejected', reason: 'The customer disables the account itself' });
    expect((await harness.undo(alertId, 'run-1', 'too late')).status).toBe(409);
  });
});
