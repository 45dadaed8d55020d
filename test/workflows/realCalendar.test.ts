/**
 * The production calendar inside workflows (R5, R9-R11), on Temporal's Java time-skipping test server whose clock the
 * test moves to a chosen instant: no `terms.windows`, the tenants' own terms. Each case starts an alert at a Berlin
 * wall-clock time and checks when it enters the queue. Cases run in calendar order: the server's clock only moves on.
 */
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { msToTs } from '@temporalio/common/lib/time';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { createActivities } from '../../activities';
import { loadDetectionRules } from '../../detection/detectionRules';
import type { EngineStores } from '../../stores/engineStores';
import { openSqliteStores } from '../../stores/sqlite/sqliteStores';
import { TieredFileOutput } from '../../activities/publication/tieredFileOutput';
import { AlertIntake } from '../../api/alerts/alertIntake';
import { normalisedAlertSchema, type NormalisedAlertInput } from '../../domain/alert';
import type { AlertStatus } from '../../domain/alertLifecycle';
import { berlinLocalToUtc } from '../../domain/calendar/berlinTime';
import { loadPlaybookDirectory } from '../../infra/files/playbookFiles';
import { vendorTaskQueue } from '../../domain/response/vendorQueues';
import { ENGINE_SEARCH_ATTRIBUTES } from '../../domain/searchAttributes';
import { loadOnCallDirectory } from '../../infra/files/onCallFile';
import { policyOf } from '../../domain/tenant/tenantPolicyOf';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { WorkOrders } from '../../api/workOrders/workOrders';
import {
  alertStatusQuery,
  assessAlertUpdate,
  claimAlertUpdate,
  closeAlertUpdate,
  decideActionUpdate,
  playbookRunQuery,
  recommendUpdate,
  startPlaybookUpdate,
} from '../../workflows/messages';
import { fetchWorkflowTree } from '../../infra/audit/workflowHistories';
import { writeGoldenIfAsked } from '../audit/goldenFiles';
import { FakeVendors } from '../playbooks/fakeVendors';
import { benignAlert, sampleAlert } from '../support/alerts';
import { REPO, testCallerSigner, testTemporal } from '../support/testEnv';
import { ensureTimeSkippingServer } from '../support/timeSkippingServer';
import { waitFor } from '../support/waitFor';

const taskQueue = `real-calendar-${randomUUID()}`;
const vendors = new FakeVendors(() => 0);
const tenants = loadTenantDirectory(join(REPO, 'config/tenants'));
const playbooks = loadPlaybookDirectory(join(REPO, 'playbooks'));
const onCall = loadOnCallDirectory(join(REPO, 'config/soc/oncall.yaml'));
let env: TestWorkflowEnvironment;
let worker: Worker;
let graphWorker: Worker;
let running: Promise<void>;
let intake: AlertIntake;
let stores: EngineStores;

beforeAll(async () => {
  const path = await ensureTimeSkippingServer();
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  const searchAttributes = Object.fromEntries(ENGINE_SEARCH_ATTRIBUTES.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type) ?? 0]));
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
  const { bundlePath, workDir } = testTemporal();
  const dataDir = mkdtempSync(join(workDir, 'real-calendar-'));
  stores = openSqliteStores(join(dataDir, 'read-model.sqlite'));
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: bundlePath },
    activities: {
      ...createActivities({
        detection: loadDetectionRules(join(REPO, 'test/fixtures/rules')),
        readModel: stores.readModel,
        workOrders: stores.workOrders,
        fileOutput: new TieredFileOutput(join(dataDir, 'outputs')),
        // Every e-mail is accepted: the R8 notice before a measure must be delivered for the measure to run.
        email: { send: async (n) => ({ messageId: `mail-${n.idempotencyKey}`, provider: 'test-mail' }) },
        now: () => new Date(),
      }),
    },
  });
  // Microsoft Graph calls run on their vendor's task queue (domain/response/vendorQueues.ts): the fakes answer there.
  graphWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: vendorTaskQueue(taskQueue, 'graph'), activities: vendors.activities() });
  running = Promise.all([worker.run(), graphWorker.run()]).then(() => undefined);
  // Raw Updates below (the workflow logic is tested here, not the API's signed callers): alerts without caller keys.
  intake = new AlertIntake({ client: env.client, taskQueue, tenants, policyFor: async (t) => policyOf(t, onCall, playbooks), now: () => new Date(), callerKeys: undefined });
}, 900_000);

afterAll(async () => {
  worker?.shutdown();
  graphWorker?.shutdown();
  await running;
  await env?.teardown();
  await stores?.close();
});

/** Moves the test server's clock forward to this Berlin wall-clock time (timers due on the way fire). */
async function skipTo(year: number, month: number, day: number, hour: number, minute = 0): Promise<void> {
  const target = berlinLocalToUtc(year, month, day, hour, minute);
  const now = await env.currentTimeMs();
  if (target < now) throw new Error(`the clock is at ${new Date(now).toISOString()}, past ${new Date(target).toISOString()}: keep the cases in calendar order`);
  const testService = env.connection.testService;
  if (!testService) throw new Error('not a time-skipping server');
  await testService.unlockTimeSkippingWithSleep({ duration: msToTs(target - now) });
}

async function submit(alert: NormalisedAlertInput): Promise<string> {
  const [accepted] = await intake.submit({ keyId: 'dev-admin', role: 'admin', tenantId: null }, [normalisedAlertSchema.parse(alert)], (i, f) => `${i}.${f}`);
  if (!accepted) throw new Error('not accepted');
  return accepted.alertId;
}

const status = (alertId: string) => env.client.workflow.getHandle(alertId).query(alertStatusQuery);

/** Polls the alert (the server's clock stands still meanwhile) until it is past analysis and publication. */
const settled = (alertId: string): Promise<AlertStatus> =>
  waitFor(() => status(alertId), (s) => s.state === 'awaiting_support_hours' || s.state === 'awaiting_triage', `${alertId} waiting or queued`);

/**
 * Closes the alert, waits for it and its runs to end, and with SOAR_WRITE_GOLDEN=1 keeps its histories as a golden
 * (docs/audit.md): the real calendar's paths replay in test/audit/goldenHistories.test.ts.
 */
async function closeAndKeepGolden(alertId: string, name: string, summary: string): Promise<void> {
  // The run's further measures are approved (four eyes) until it has ended; then the alert may close.
  const run = env.client.workflow.getHandle(`${alertId}.run-1`);
  for (;;) {
    const state = await waitFor(() => run.query(playbookRunQuery), (r) => r.state !== 'running' || r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval or the run\'s end');
    const asked = state.actions.find((a) => a.state === 'awaiting_approval');
    if (!asked) break;
    await run.executeUpdate(decideActionUpdate, { args: [{ approver: { id: 'a.schmidt', role: 'analyst' }, digest: asked.digest, decision: 'approve', reason: 'ordered' }] });
  }
  const handle = env.client.workflow.getHandle(alertId);
  const closed = await handle.executeUpdate(closeAlertUpdate, { args: [{ analyst: { id: 'dev-analyst' }, summary }] });
  expect(closed.state).toBe('closed');
  // Polled, not `result()`: awaiting a result on this server skips its clock ahead (the cases run in calendar order).
  const ended = (id: string) => waitFor(() => env.client.workflow.getHandle(id).describe(), (d) => d.status.name !== 'RUNNING', `${id} ended`);
  expect((await ended(alertId)).status.name).toBe('COMPLETED');
  for (const id of closed.response.runs.map((r) => r.workflowId)) expect((await ended(id)).status.name).toBe('COMPLETED');
  await writeGoldenIfAsked(name, alertId, await fetchWorkflowTree(env.client, alertId));
}

const mueller = (vendorSeverity: 'low' | 'critical' = 'low') => benignAlert({ tenantId: 'mueller-logistik', vendorSeverity });
const at = (year: number, month: number, day: number, hour: number, minute = 0) => new Date(berlinLocalToUtc(year, month, day, hour, minute)).toISOString();

test('R5 Thursday 20:00 Berlin: the alert waits, visibly, and wakes on Friday 09:00', async () => {
  await skipTo(2027, 1, 14, 20);
  const alertId = await submit(mueller());
  const waiting = await settled(alertId);
  expect(waiting).toMatchObject({ state: 'awaiting_support_hours', nextWakeAt: at(2027, 1, 15, 9) });
  await skipTo(2027, 1, 15, 8, 59);
  expect((await status(alertId)).state).toBe('awaiting_support_hours');
  await skipTo(2027, 1, 15, 9, 1);
  expect(await status(alertId)).toMatchObject({ state: 'awaiting_triage', nextWakeAt: null });
});

test('R5 Friday 16:59 is in service; Friday 17:00 waits for Monday 09:00', async () => {
  await skipTo(2027, 1, 22, 16, 59);
  expect((await settled(await submit(mueller()))).state).toBe('awaiting_triage');
  await skipTo(2027, 1, 22, 17, 0);
  const late = await submit(mueller());
  expect(await settled(late)).toMatchObject({ state: 'awaiting_support_hours', nextWakeAt: at(2027, 1, 25, 9) });
  await skipTo(2027, 1, 25, 9, 1);
  expect((await status(late)).state).toBe('awaiting_triage');
});

test('R10 the weekend emergency window Friday 17:00 to Sunday 24:00 takes critical incidents only', async () => {
  await skipTo(2027, 1, 29, 17, 30);
  const critical = await submit(mueller('critical'));
  expect((await settled(critical)).state).toBe('awaiting_triage');
  const low = await submit(mueller('low'));
  expect(await settled(low)).toMatchObject({ state: 'awaiting_support_hours', nextWakeAt: at(2027, 2, 1, 9) });
  await skipTo(2027, 1, 31, 23, 59);
  expect((await settled(await submit(mueller('critical')))).state).toBe('awaiting_triage');
  // Sunday 24:00 ends it: a critical incident at Monday 00:00 waits for the support hours at 09:00.
  await skipTo(2027, 2, 1, 0, 0);
  expect(await settled(await submit(mueller('critical')))).toMatchObject({ state: 'awaiting_support_hours', nextWakeAt: at(2027, 2, 1, 9) });
});

test('R10 in the weekend window a measure needs the customer\'s order: refused naming R10 without one, carried out with one', async () => {
  await skipTo(2027, 2, 6, 10); // Saturday
  const upn = `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`;
  const alertId = await submit(
    sampleAlert({ tenantId: 'mueller-logistik', source: 'm365', vendorSeverity: 'critical', entities: { users: [{ name: upn, upn }], hosts: [], ips: [], files: [], processes: [], urls: [] } }),
  );
  expect((await settled(alertId)).state).toBe('awaiting_triage');
  const handle = env.client.workflow.getHandle(alertId);
  const analyst = { id: 'dev-analyst' };
  await handle.executeUpdate(claimAlertUpdate, { args: [{ analyst }] });
  await handle.executeUpdate(assessAlertUpdate, { args: [{ analyst, severity: 'critical', verdict: 'true_positive', rationale: 'Confirmed takeover' }] });
  const recommended = await handle.executeUpdate(recommendUpdate, { args: [{ analyst, recommendation: 'Disable the account' }] });
  expect(recommended.state).toBe('in_triage');
  const playbook = playbooks.get('compromised-account');
  if (!playbook) throw new Error('no compromised-account playbook');
  const refusal = await handle.executeUpdate(startPlaybookUpdate, { args: [{ analyst, playbook }] }).then(
    () => 'started',
    (error: unknown) => (error instanceof WorkflowUpdateFailedError ? String(error.cause?.message) : String(error)),
  );
  expect(refusal).toMatch(/^Cannot start a playbook: R10: .*customer's order/);

  const customer = { role: 'customer', keyId: 'dev-customer-mueller', tenantId: 'mueller-logistik' } as const;
  const workOrders = new WorkOrders({ client: env.client, namespace: 'default', taskQueue, tenants, store: stores.workOrders, signer: testCallerSigner(), now: () => new Date(berlinLocalToUtc(2027, 2, 6, 10, 5)) });
  const { order } = await workOrders.request(customer, { alertId, description: 'Please disable the account now' });
  expect(order.reason).toMatch(/R8-R10.*billed/);
  const ordered = await status(alertId);
  expect(ordered.state).toBe('ready_for_response');
  expect(ordered.timeline.find((t) => t.kind === 'customer_order')?.detail).toContain(order.workOrderId);

  await handle.executeUpdate(startPlaybookUpdate, { args: [{ analyst, playbook }] });
  const run = env.client.workflow.getHandle(`${alertId}.run-1`);
  const waiting = await waitFor(() => run.query(playbookRunQuery), (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
  const digest = waiting.actions[0]?.digest ?? '';
  // Four eyes (R8): another analyst than the one who started the run approves.
  await run.executeUpdate(decideActionUpdate, { args: [{ approver: { id: 'a.schmidt', role: 'analyst' }, digest, decision: 'approve', reason: 'ordered' }] });
  await waitFor(() => run.query(playbookRunQuery), (r) => r.actions[0]?.state === 'done', 'the measure on Saturday');
  expect(vendors.callsOf('m365DisableUser', alertId)).toHaveLength(1);
  await closeAndKeepGolden(alertId, 'r10-weekend-order', 'Contained on the customer\'s order');
});

test('R8 R9 an approval given Friday after hours expires over the weekend and is asked again on Monday 09:00', async () => {
  await skipTo(2027, 2, 12, 16, 50);
  // Package 2 without the weekend option: the measure waits for Monday (R9) instead of needing an order (R10).
  const weekdaysOnly = new AlertIntake({
    client: env.client,
    taskQueue,
    tenants,
    policyFor: async (t) => {
      const policy = policyOf(t, onCall, playbooks);
      return { ...policy, terms: { ...policy.terms, weekendEmergency: false } };
    },
    callerKeys: undefined,
    now: () => new Date(),
  });
  const upn = `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`;
  const alert = sampleAlert({ tenantId: 'mueller-logistik', source: 'm365', vendorSeverity: 'critical', entities: { users: [{ name: upn, upn }], hosts: [], ips: [], files: [], processes: [], urls: [] } });
  const [accepted] = await weekdaysOnly.submit({ keyId: 'dev-admin', role: 'admin', tenantId: null }, [normalisedAlertSchema.parse(alert)], (i, f) => `${i}.${f}`);
  const alertId = accepted?.alertId ?? '';
  expect((await settled(alertId)).state).toBe('awaiting_triage');
  const handle = env.client.workflow.getHandle(alertId);
  const analyst = { id: 'dev-analyst' };
  await handle.executeUpdate(claimAlertUpdate, { args: [{ analyst }] });
  await handle.executeUpdate(assessAlertUpdate, { args: [{ analyst, severity: 'critical', verdict: 'true_positive', rationale: 'Confirmed takeover' }] });
  expect((await handle.executeUpdate(recommendUpdate, { args: [{ analyst, recommendation: 'Disable the account' }] })).state).toBe('ready_for_response');
  const playbook = playbooks.get('compromised-account');
  if (!playbook) throw new Error('no compromised-account playbook');
  await handle.executeUpdate(startPlaybookUpdate, { args: [{ analyst, playbook }] });
  const run = env.client.workflow.getHandle(`${alertId}.run-1`);
  const asked = await waitFor(() => run.query(playbookRunQuery), (r) => r.actions[0]?.state === 'awaiting_approval', 'an approval');
  const digest = asked.actions[0]?.digest ?? '';
  // Four eyes (R8): another analyst than the one who started the run approves.
  const approver = { id: 'a.schmidt', role: 'analyst' };

  await skipTo(2027, 2, 12, 17, 30);
  await run.executeUpdate(decideActionUpdate, { args: [{ approver, digest, decision: 'approve', reason: 'Friday evening' }] });
  const paused = await waitFor(() => run.query(playbookRunQuery), (r) => r.actions[0]?.state === 'waiting_for_service', 'the wait for Monday');
  expect(paused.nextWakeAt).toBe(at(2027, 2, 15, 9));
  await skipTo(2027, 2, 15, 9, 1);
  const again = await waitFor(() => run.query(playbookRunQuery), (r) => r.actions[0]?.state === 'awaiting_approval', 'the approval asked again on Monday');
  expect(again.timeline.filter((t) => t.kind === 'approval_expired')).toHaveLength(1);
  expect(vendors.callsOf('m365DisableUser', alertId)).toHaveLength(0);
  await run.executeUpdate(decideActionUpdate, { args: [{ approver, digest, decision: 'approve', reason: 'Monday: still needed' }] });
  const done = await waitFor(() => run.query(playbookRunQuery), (r) => r.actions[0]?.state === 'done', 'the measure on Monday');
  expect(done.actions[0]?.approval).toMatchObject({ asked: 2, reason: 'Monday: still needed' });
  expect(vendors.callsOf('m365DisableUser', alertId)).toHaveLength(1);
  await closeAndKeepGolden(alertId, 'approval-expires-over-weekend', 'Contained on Monday after the second approval');
});

test('R5 the spring switch (Sunday 28 March 2027) and Easter Monday: an alert at 01:30 wakes Tuesday 09:00 summer time', async () => {
  await skipTo(2027, 3, 28, 1, 30);
  const alertId = await submit(mueller());
  expect(await settled(alertId)).toMatchObject({ state: 'awaiting_support_hours', nextWakeAt: '2027-03-30T07:00:00.000Z' });
  await skipTo(2027, 3, 30, 9, 1);
  expect((await status(alertId)).state).toBe('awaiting_triage');
});

test('R5 a DE-NW holiday: Wednesday evening before Corpus Christi (27 May 2027) wakes Friday 09:00', async () => {
  await skipTo(2027, 5, 26, 18);
  const alertId = await submit(mueller());
  expect(await settled(alertId)).toMatchObject({ state: 'awaiting_support_hours', nextWakeAt: '2027-05-28T07:00:00.000Z' });
  await skipTo(2027, 5, 27, 12);
  expect((await status(alertId)).state).toBe('awaiting_support_hours');
  await skipTo(2027, 5, 28, 9, 1);
  expect((await status(alertId)).state).toBe('awaiting_triage');
});

test('R5 the autumn switch (Sunday 31 October 2027) and All Saints: an alert at noon wakes Tuesday 09:00 winter time', async () => {
  await skipTo(2027, 10, 31, 12);
  const alertId = await submit(mueller());
  expect(await settled(alertId)).toMatchObject({ state: 'awaiting_support_hours', nextWakeAt: '2027-11-02T08:00:00.000Z' });
  await skipTo(2027, 11, 2, 9, 1);
  expect((await status(alertId)).state).toBe('awaiting_triage');
});

test('R11 a 24/7 tenant is in service on Christmas Day', async () => {
  await skipTo(2027, 12, 25, 10);
  const alertId = await submit(benignAlert({ tenantId: 'rheinwerk-maschinenbau', vendorSeverity: 'low' }));
  expect(await settled(alertId)).toMatchObject({ state: 'awaiting_triage', nextWakeAt: null });
  expect((await settled(await submit(mueller()))).state).toBe('awaiting_support_hours');
});
