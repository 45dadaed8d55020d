/**
 * Retention (R14) on the real Temporal dev server, in a namespace of its own (the purge must not touch the other test
 * files' alerts): a short agreed retention leaves nothing of the tenant but its open alerts, other tenants keep theirs,
 * a second run deletes nothing more, and the daily schedule is in place.
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
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
import { namespaceRetentionDays, retentionOf, type TenantRetention } from '../../domain/retention';
import { loadPlaybookDirectory } from '../../infra/files/playbookFiles';
import { loadOnCallDirectory } from '../../infra/files/onCallFile';
import { policyOf } from '../../domain/tenant/tenantPolicyOf';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { prepareNamespace } from '../../infra/temporal/prepareNamespace';
import { ensureRetentionSchedule, RETENTION_SCHEDULE_ID } from '../../infra/temporal/retentionSchedule';
import { assessAlertUpdate, claimAlertUpdate, closeAlertUpdate } from '../../workflows/messages';
import { billableWorkOrderWorkflow } from '../../workflows/workOrderWorkflow';
import { retentionPurgeWorkflow, type RetentionPurgeReport } from '../../workflows/retentionPurgeWorkflow';
import { fetchWorkflowTree } from '../../infra/audit/workflowHistories';
import { writeGoldenIfAsked } from '../audit/goldenFiles';
import { benignAlert } from '../support/alerts';
import { alwaysInService } from '../support/testEngine';
import { REPO, testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';

const SHORT = 'mueller-logistik'; // package 2: its alerts stay open until an analyst closes them
const OTHER = 'nordwind-handel'; // package 1: its alerts close once published
const DAY_MS = 86_400_000;

const catalog = loadTenantDirectory(join(REPO, 'config/tenants'));
const namespace = `soar-retention-${Date.now()}`;
const taskQueue = `retention-${randomUUID()}`;
let connection: Connection;
let nativeConnection: NativeConnection;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let stores: EngineStores;
let fileOutput: TieredFileOutput;
let intake: AlertIntake;

beforeAll(async () => {
  const { address, bundlePath, workDir } = testTemporal();
  connection = await Connection.connect({ address });
  await prepareNamespace({ connection, namespace, retentionDays: 90 });
  client = new Client({ connection, namespace });
  const dataDir = mkdtempSync(join(workDir, 'retention-'));
  stores = openSqliteStores(join(dataDir, 'read-model.sqlite'));
  fileOutput = new TieredFileOutput(join(dataDir, 'outputs'));
  nativeConnection = await NativeConnection.connect({ address });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: { codePath: bundlePath },
    activities: createActivities({ detection: loadDetectionRules(join(REPO, 'test/fixtures/rules')), readModel: stores.readModel, workOrders: stores.workOrders, fileOutput, now: () => new Date() }),
  });
  running = worker.run();
  const onCall = loadOnCallDirectory(join(REPO, 'config/soc/oncall.yaml'));
  const playbooks = loadPlaybookDirectory(join(REPO, 'playbooks'));
  intake = new AlertIntake({ client, taskQueue, tenants: catalog, policyFor: async (t) => alwaysInService(policyOf(t, onCall, playbooks)), now: () => new Date(), callerKeys: undefined });
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await nativeConnection?.close();
  await connection?.close();
  await stores?.close();
});

async function submit(alert: NormalisedAlertInput): Promise<string> {
  const [accepted] = await intake.submit({ keyId: 'dev-admin', role: 'admin', tenantId: null }, [normalisedAlertSchema.parse(alert)], (i, f) => `${i}.${f}`);
  if (!accepted) throw new Error('not accepted');
  return accepted.alertId;
}

async function untilState(alertId: string, state: string): Promise<void> {
  await waitFor(async () => (await client.workflow.getHandle(alertId).query<AlertStatus>('alertStatus')).state, (s) => s === state, `${alertId} ${state}`);
}

/** A package-2 alert an analyst claimed, assessed and closed. */
async function closedAlert(): Promise<string> {
  const alertId = await submit(benignAlert({ tenantId: SHORT, vendorSeverity: 'low' }));
  await untilState(alertId, 'awaiting_triage');
  const handle = client.workflow.getHandle(alertId);
  const analyst = { id: 'dev-analyst' };
  await handle.executeUpdate(claimAlertUpdate, { args: [{ analyst }] });
  await handle.executeUpdate(assessAlertUpdate, { args: [{ analyst, severity: 'low', verdict: 'benign', rationale: 'inventory run' }] });
  await handle.executeUpdate(closeAlertUpdate, { args: [{ analyst, summary: 'nothing to do' }] });
  await handle.result();
  return alertId;
}

const count = async (query: string) => (await client.workflow.count(query)).count;
const closedOf = (tenantId: string) => `WorkflowType = 'alertWorkflow' AND TenantId = '${tenantId}' AND ExecutionStatus != 'Running'`;

function purge(tenants: TenantRetention[], now: Date, workflowId = `retention-purge-${randomUUID()}`): Promise<RetentionPurgeReport> {
  return client.workflow.execute(retentionPurgeWorkflow, { taskQueue, workflowId, args: [{ tenants, now: now.toISOString() }] });
}

test('R14 a tenant with a short retention: after the purge nothing of it is left, its open alert closed as expired; another tenant keeps everything; a second run deletes nothing more', async () => {
  const closed = [await closedAlert(), await closedAlert()];
  const open = await submit(benignAlert({ tenantId: SHORT, vendorSeverity: 'low' }));
  await untilState(open, 'awaiting_triage');
  // Stands in for a playbook run of the first alert: a closed workflow under the run's id and, like a real run (a
  // child workflow), without the TenantId search attribute. It records a billable work order, which must stay.
  const runId = `${closed[0]}.run-1`;
  const order = { workOrderId: runId, tenantId: SHORT, alertId: closed[0] ?? null, requestedBy: 'analyst:dev-analyst', requestedAt: new Date().toISOString(), description: 'stand-in', reason: 'R7' };
  await client.workflow.execute(billableWorkOrderWorkflow, { taskQueue, workflowId: runId, args: [order] });
  const others = [await submit(benignAlert({ tenantId: OTHER })), await submit(benignAlert({ tenantId: OTHER }))];
  for (const id of others) await client.workflow.getHandle(id).result();

  await waitFor(() => count(closedOf(SHORT)), (n) => n === 2, 'the short-retention tenant\'s closed alerts in visibility');
  await waitFor(() => count(closedOf(OTHER)), (n) => n === 2, 'the other tenant\'s closed alerts in visibility');
  await waitFor(() => count(`TenantId = '${SHORT}' AND ExecutionStatus = 'Running'`), (n) => n === 1, 'the open alert in visibility');
  expect(await stores.readModel.rowCounts(SHORT)).toMatchObject({ dashboardAlerts: 3, alertHosts: 3 });
  expect(await fileOutput.lineCount(SHORT)).toBe(3);

  // Two days on, with one day agreed: everything of the short tenant is past its retention.
  const later = new Date(Date.now() + 2 * DAY_MS);
  const tenants = [{ tenantId: SHORT, retentionDays: 1 }, { tenantId: OTHER, retentionDays: 90 }];
  const first = await purge(tenants, later);
  expect(first.tenants.find((t) => t.tenantId === SHORT)).toMatchObject({
    expiredAlerts: 1,
    alertWorkflows: 3,
    playbookRuns: 1,
    alertsKeptForOpenRuns: 0,
    dashboardAlerts: 3,
    alertHosts: 3,
    fileLines: 3,
    openAlertsKept: 0,
  });
  expect(first.tenants.find((t) => t.tenantId === OTHER)).toMatchObject({ alertWorkflows: 0, playbookRuns: 0, dashboardAlerts: 0, alertHosts: 0, fileLines: 0 });

  // Temporal: no closed workflow of the tenant in visibility, its histories and the run gone; the open alert runs on.
  // Temporal deletes asynchronously: on the dev server visibility and the executions follow within about 35 s.
  await waitFor(() => count(closedOf(SHORT)), (n) => n === 0, 'no closed workflow of the short tenant in visibility', 120_000);
  for (const id of [...closed, open, runId]) {
    const described = () => client.workflow.getHandle(id).describe().then((d) => d.status.name, (e: unknown) => (e instanceof WorkflowNotFoundError ? 'gone' : String(e)));
    await waitFor(described, (state) => state === 'gone', `${id} deleted`, 60_000);
  }
  // Read model and files: nothing of the tenant's alerts is left; the work order, a billing record, stays.
  expect(await stores.readModel.rowCounts(SHORT)).toEqual({ dashboardAlerts: 0, alertHosts: 0 });
  expect(await stores.workOrders.count(SHORT)).toBe(1);
  expect(await fileOutput.lineCount(SHORT)).toBe(0);
  // The other tenant is untouched.
  expect(await count(closedOf(OTHER))).toBe(2);
  expect(await stores.readModel.rowCounts(OTHER)).toMatchObject({ dashboardAlerts: 2, alertHosts: 2 });
  expect(await fileOutput.lineCount(OTHER)).toBe(2);

  const second = await purge(tenants, later);
  for (const tenant of second.tenants) {
    expect(tenant).toMatchObject({ alertWorkflows: 0, playbookRuns: 0, dashboardAlerts: 0, alertHosts: 0, fileLines: 0 });
  }
}, 240_000);

test('R14 an open alert past its retention is closed as expired and purged; retention counts from receipt, not from closing', async () => {
  const open = await submit(benignAlert({ tenantId: SHORT, vendorSeverity: 'medium' }));
  await untilState(open, 'awaiting_triage');
  const receivedLongAgo = await submit(benignAlert({ tenantId: SHORT, vendorSeverity: 'low' }));
  await untilState(receivedLongAgo, 'awaiting_triage');
  const cutoffNow = new Date();
  // Closed after the cut-off instant, but received before it: the retention counts from receipt.
  const handle = client.workflow.getHandle(receivedLongAgo);
  const analyst = { id: 'dev-analyst' };
  await waitFor(async () => Date.now(), (t) => t > cutoffNow.getTime(), 'the cut-off instant passed');
  await handle.executeUpdate(claimAlertUpdate, { args: [{ analyst }] });
  await handle.executeUpdate(assessAlertUpdate, { args: [{ analyst, severity: 'low', verdict: 'benign', rationale: 'inventory run' }] });
  await handle.executeUpdate(closeAlertUpdate, { args: [{ analyst, summary: 'nothing to do' }] });
  await handle.result();
  await waitFor(() => count(`WorkflowId = '${receivedLongAgo}' AND ExecutionStatus != 'Running'`), (n) => n === 1, 'the closed alert in visibility');

  const purgeId = `retention-purge-${randomUUID()}`;
  const report = await purge([{ tenantId: SHORT, retentionDays: 1 }], new Date(cutoffNow.getTime() + DAY_MS), purgeId);
  expect(report.tenants[0]).toMatchObject({ expiredAlerts: 1, alertWorkflows: 2, openAlertsKept: 0 });
  // The golden history of the purge that closes an open alert as expired (patch expire-open-alerts, docs/audit.md).
  await writeGoldenIfAsked('retention-expire-open-alerts', purgeId, await fetchWorkflowTree(client, purgeId));
  const expired = await waitFor(
    () => client.workflow.getHandle(open).describe().then((d) => d.status.name, (e: unknown) => (e instanceof WorkflowNotFoundError ? 'gone' : String(e))),
    (state) => state === 'gone',
    'the expired alert deleted',
    60_000,
  );
  expect(expired).toBe('gone');
}, 120_000);

test('R14 the alert records its expiry and tells the SOC before it is purged', async () => {
  const open = await submit(benignAlert({ tenantId: SHORT, vendorSeverity: 'high' }));
  await untilState(open, 'awaiting_triage');
  const cutoff = new Date(Date.now() + 1_000).toISOString();
  const status = await client.workflow.getHandle(open).executeUpdate<AlertStatus, [{ retentionDays: number; cutoff: string }]>('expireAlert', { args: [{ retentionDays: 90, cutoff }] });
  expect(status.state).toBe('closed');
  expect(status.timeline.find((t) => t.kind === 'closed')).toMatchObject({ actor: 'system:retention', detail: expect.stringContaining('past the tenant\'s retention of 90 days (R14)') });
  // The SOC's first on-call step is told (this worker has no SMS sender: the attempt and its failure are on record).
  expect(status.notifications.filter((n) => n.purpose === 'retention_expiry').map((n) => n.recipient)).toEqual(['+4928219990101']);
  const final = await client.workflow.getHandle(open).result();
  expect(final.state).toBe('closed');
});

test('R14 the namespace keeps the longest agreed retention, at least the default', () => {
  const agreed = retentionOf(catalog.all());
  expect(agreed).toContainEqual({ tenantId: 'rheinwerk-maschinenbau', retentionDays: 180 });
  expect(namespaceRetentionDays(90, agreed)).toBe(180);
  expect(namespaceRetentionDays(90, [{ tenantId: 'short', retentionDays: 30 }])).toBe(90);
});

test('R14 the daily purge schedule exists after the worker start\'s ensure step, and a second start updates it', async () => {
  const agreed = retentionOf(catalog.all());
  await ensureRetentionSchedule({ client, taskQueue, tenants: agreed.filter((t) => t.tenantId !== 'rheinwerk-maschinenbau') });
  await ensureRetentionSchedule({ client, taskQueue, tenants: agreed });
  const description = await client.schedule.getHandle(RETENTION_SCHEDULE_ID).describe();
  expect(description.spec.timezone).toBe('Europe/Berlin');
  expect(description.spec.calendars).toEqual([
    expect.objectContaining({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 15, end: 15, step: 1 }] }),
  ]);
  expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionPurgeWorkflow', taskQueue, args: [{ tenants: agreed }] });
  expect(description.policies.overlap).toBe('SKIP');
  const next = description.info.nextActionTimes[0];
  expect(next).toBeDefined();
  const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(next);
  expect(berlin).toBe('03:15');
  expect(next!.getTime() - Date.now()).toBeLessThanOrEqual(DAY_MS + 3_600_000);
});
