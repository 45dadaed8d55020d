/**
 * Package 1 in one step (patch `soar-package1-one-step`, issue 18, docs/performance.md): an alert whose input carries
 * its webhook targets is analysed, classified and published in ONE local activity, records one patch marker, one
 * local-activity marker and one search-attribute upsert per activation, and ends with the same record, the same
 * search attributes for the dashboards and the same webhook events as an alert without them (the path of older
 * inputs, which keeps the look-up, its patches and the two local activities). The lean history before this patch
 * (`soar-package1-lean-history`) is no longer written; its golden history still replays (test/audit).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { createActivities, type AlertActivities } from '../../activities';
import { TieredFileOutput } from '../../activities/publication/tieredFileOutput';
import { loadDetectionRules } from '../../detection/detectionRules';
import { openSqliteStores } from '../../stores/sqlite/sqliteStores';
import { ALERT_STATE, SEVERITY } from '../../domain/searchAttributes';
import type { LifecycleEvent } from '../../domain/webhooks/lifecycleEvents';
import type { WebhookTarget } from '../../domain/webhooks/webhookTargets';
import { decisionTrail } from '../../infra/audit/decisionTrail';
import { readHistoryFile } from '../../infra/audit/historyFiles';
import { REPLAY_SINKS } from '../../infra/telemetry/temporalTracing';
import { LOCAL_PIPELINE_PATCH, PACKAGE1_LEAN_PATCH, PACKAGE1_ONE_STEP_PATCH, alertWorkflow } from '../../workflows/alertWorkflow';
import { TRACING_PATCH } from '../../workflows/tracingInterceptors';
import { GOLDEN_DIR } from '../audit/goldenFiles';
import { alertWorkflowInput } from '../support/alertInput';
import { sampleAlert } from '../support/alerts';
import { pipelineStubs } from '../support/pipelineStubs';
import { REPO, testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';

const EventType = temporal.api.enums.v1.EventType;
type History = temporal.api.history.v1.IHistory;
let connection: Connection;
let client: Client;
let nativeConnection: NativeConnection;

beforeAll(async () => {
  connection = await Connection.connect({ address: testTemporal().address });
  client = new Client({ connection, namespace: testTemporal().namespace });
  nativeConnection = await NativeConnection.connect({ address: testTemporal().address });
});
afterAll(async () => {
  await nativeConnection.close();
  await connection.close();
});

/**
 * Runs one package-1 alert to its end on a worker of its own; the activities answer as the real ones would. The
 * webhook targets are in the input (`inInput`) or, as for older inputs, looked up by the workflow.
 */
async function runAlert(targets: WebhookTarget[], inInput: boolean, alert = sampleAlert({ tenantId: 'nordwind-handel' })) {
  const taskQueue = `one-step-${randomUUID()}`;
  const alertId = `alert.one-step.${randomUUID()}`;
  const input = { ...alertWorkflowInput(alertId, alert), ...(inInput ? { webhookTargets: targets } : {}) };
  expect(input.tenant.package).toBe(1);
  const calls: string[] = [];
  const events: { target: string; event: LifecycleEvent }[] = [];
  const activities: Pick<AlertActivities, 'analyseAlert' | 'publishAlert' | 'analyseClassifyPublish' | 'webhookTargets' | 'deliverWebhook'> = {
    webhookTargets: async () => {
      calls.push('webhookTargets');
      return targets;
    },
    ...pipelineStubs(calls, 'one-step-test'),
    deliverWebhook: async ({ targetId, event }) => {
      calls.push(`deliverWebhook ${targetId} ${event.type}`);
      events.push({ target: targetId, event });
      return { status: 204, at: new Date().toISOString() };
    },
  };
  const worker = await Worker.create({ connection: nativeConnection, namespace: testTemporal().namespace, taskQueue, workflowBundle: { codePath: testTemporal().bundlePath }, sinks: REPLAY_SINKS, activities });
  const handle = await client.workflow.start(alertWorkflow, { taskQueue, workflowId: alertId, args: [input] });
  const status = await worker.runUntil(handle.result());
  const history = await handle.fetchHistory();
  // Visibility is written after the history: wait until it shows the run as closed, then read what dashboards read.
  const description = await waitFor(async () => handle.describe(), (d) => d.status.name === 'COMPLETED' && d.typedSearchAttributes.get(ALERT_STATE) === 'published', 'visibility of the closed alert');
  return { status, history, calls, events, searchAttributes: { state: description.typedSearchAttributes.get(ALERT_STATE), severity: description.typedSearchAttributes.get(SEVERITY) } };
}

/** The markers of that name, by patch id or local activity type; the tracing patch (this client starts traced) left out. */
function markersOf(history: History, name: string): string[] {
  return (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== name) return [];
    const key = name === 'core_patch' ? 'patch-data' : 'data';
    const data: unknown = marker.details?.[key]?.payloads?.[0]?.data ?? [];
    // Exported files (the committed goldens) keep payload data as base64 text.
    const text = (typeof data === 'string' ? Buffer.from(data, 'base64') : Buffer.from(data as Uint8Array)).toString();
    return [name === 'core_patch' ? (JSON.parse(text) as { id: string }).id : (JSON.parse(text) as { activity_type: string }).activity_type];
  }).filter((id) => id !== TRACING_PATCH);
}

/** The engine's own upserts (not the SDK's TemporalChangeVersion), each as the keys it sets. */
function upsertsOf(history: History): string[][] {
  return (history.events ?? []).flatMap((e) => {
    const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
    if (!fields) return [];
    const keys = Object.keys(fields).filter((k) => k !== 'TemporalChangeVersion');
    return keys.length > 0 ? [keys.sort()] : [];
  });
}

/** A record comparable across runs: without ids and times. */
const comparable = (s: Awaited<ReturnType<typeof runAlert>>['status']) => ({
  ...s,
  alertId: null,
  receivedAt: null,
  publication: { ...s.publication, publishedAt: null },
  timeline: s.timeline.map((t) => ({ ...t, at: null })),
  webhookDeliveries: s.webhookDeliveries?.map((d) => ({ ...d, eventId: d.eventId.replace(s.alertId, ''), at: null })).sort((a, b) => `${a.target} ${a.type}`.localeCompare(`${b.target} ${b.type}`)),
});

test('R3 R18 a package-1 alert with its webhook targets in its input is analysed, classified and published in one local activity, and ends as an alert without them', async () => {
  const alert = sampleAlert({ tenantId: 'nordwind-handel' });
  const oneStep = await runAlert([], true, alert);
  const before = await runAlert([], false, alert);

  expect(markersOf(oneStep.history, 'core_patch')).toEqual([PACKAGE1_ONE_STEP_PATCH]);
  expect(markersOf(oneStep.history, 'core_local_activity')).toEqual(['analyseClassifyPublish']);
  // The one step calls the analysis and the publication themselves, once each.
  expect(oneStep.calls).toEqual(['analyseClassifyPublish', 'analyseAlert', 'publishAlert']);
  // Start (analysing), then the step's result: severity and state (published) together.
  expect(upsertsOf(oneStep.history)).toEqual([['AlertState'], ['AlertState', 'Severity']]);

  // The path of inputs without targets is the one from before the lean history: its two patches, the look-up, four upserts.
  expect(markersOf(before.history, 'core_patch')).toEqual(expect.arrayContaining(['outbound-webhooks', LOCAL_PIPELINE_PATCH]));
  expect(markersOf(before.history, 'core_patch')).not.toContain(PACKAGE1_ONE_STEP_PATCH);
  // The look-up and the analysis run side by side on the old path: either may be recorded first.
  expect(markersOf(before.history, 'core_local_activity').sort()).toEqual(['analyseAlert', 'publishAlert', 'webhookTargets']);
  expect(upsertsOf(before.history)).toEqual([['AlertState'], ['Severity'], ['AlertState'], ['AlertState']]);

  // Against the lean history this patch follows (its committed golden): one local-activity marker and one upsert fewer.
  const [golden] = readHistoryFile(join(GOLDEN_DIR, 'package-1-lean-history.json'));
  const lean = (golden?.history ?? {}) as History;
  expect(markersOf(lean, 'core_patch')).toEqual([PACKAGE1_LEAN_PATCH]);
  expect(markersOf(lean, 'core_local_activity')).toEqual(['analyseAlert', 'publishAlert']);
  expect(upsertsOf(lean)).toEqual([['AlertState'], ['AlertState', 'Severity'], ['AlertState']]);
  expect((oneStep.history.events ?? []).length).toBeLessThan((before.history.events ?? []).length);

  // The same outcome: record (but for ids and times) and what the dashboards' visibility queries see.
  expect(comparable(oneStep.status)).toEqual(comparable(before.status));
  expect(oneStep.status.timeline.map((t) => t.kind)).toEqual(['received', 'analysed', 'classified', 'published']);
  expect(oneStep.status).toMatchObject({ state: 'published', severity: 'medium' }); // no rule, no vendor severity: medium (R2)
  expect(oneStep.searchAttributes).toEqual({ state: 'published', severity: 'medium' });
  expect(before.searchAttributes).toEqual(oneStep.searchAttributes);
  expect((oneStep.history.events ?? []).map((e) => e.eventType)).not.toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
}, 120_000);

test('R3 a one-step package-1 alert delivers the same lifecycle events, in the same order, as an alert whose targets are looked up, without looking them up', async () => {
  const targets: WebhookTarget[] = [
    { id: 'tenant:tickets', events: ['alert.classified'] },
    { id: 'soc', events: null },
  ];
  const alert = sampleAlert({ tenantId: 'nordwind-handel' });
  const oneStep = await runAlert(targets, true, alert);
  const before = await runAlert(targets, false, alert);

  expect(oneStep.calls).not.toContain('webhookTargets');
  expect(before.calls).toContain('webhookTargets');
  expect(oneStep.calls.filter((c) => c.startsWith('deliverWebhook')).sort()).toEqual([
    'deliverWebhook soc alert.classified',
    'deliverWebhook soc alert.received',
    'deliverWebhook tenant:tickets alert.classified',
  ]);
  // Each event as sent (but for ids and times): same sequence numbers, types and data on both paths.
  const sent = (run: Awaited<ReturnType<typeof runAlert>>) =>
    run.events
      .map(({ target, event }) => ({ target, ...event, id: event.id.replace(event.alertId, ''), alertId: null, occurredAt: null }))
      .sort((a, b) => a.sequence - b.sequence || a.target.localeCompare(b.target));
  expect(sent(oneStep).map((e) => `${e.sequence} ${e.type} ${e.target}`)).toEqual(['1 alert.received soc', '2 alert.classified soc', '2 alert.classified tenant:tickets']);
  expect(sent(oneStep)).toEqual(sent(before));
  expect(sent(oneStep).find((e) => e.type === 'alert.classified')?.data).toEqual({ title: alert.title, severity: 'medium', state: 'classified', decidedBy: 'default' });
  expect(comparable(oneStep.status)).toEqual(comparable(before.status));
  expect(markersOf(oneStep.history, 'core_patch')).toEqual([PACKAGE1_ONE_STEP_PATCH]);
}, 120_000);

test('R3 a one-step attempt that fails after it published is retried and publishes once: one dashboard row, one line in the tier file', async () => {
  const dir = mkdtempSync(join(testTemporal().workDir, 'one-step-'));
  const stores = openSqliteStores(join(dir, 'read-model.sqlite'));
  const real = createActivities({ detection: loadDetectionRules(join(REPO, 'test/fixtures/rules')), readModel: stores.readModel, workOrders: stores.workOrders, fileOutput: new TieredFileOutput(dir), now: () => new Date() });
  const attempts: number[] = [];
  const activities: Pick<AlertActivities, 'analyseClassifyPublish'> = {
    // The first attempt publishes, then fails as a worker would whose answer is lost; the local retry runs it again.
    analyseClassifyPublish: async (input) => {
      const { attempt } = Context.current().info;
      attempts.push(attempt);
      const result = await real.analyseClassifyPublish(input);
      if (attempt === 1) throw new Error('the answer was lost after the publication');
      return result;
    },
  };
  const taskQueue = `one-step-retry-${randomUUID()}`;
  const alertId = `alert.one-step-retry.${randomUUID()}`;
  const input = { ...alertWorkflowInput(alertId, sampleAlert({ tenantId: 'nordwind-handel' })), webhookTargets: [] };
  try {
    const worker = await Worker.create({ connection: nativeConnection, namespace: testTemporal().namespace, taskQueue, workflowBundle: { codePath: testTemporal().bundlePath }, sinks: REPLAY_SINKS, activities });
    const handle = await client.workflow.start(alertWorkflow, { taskQueue, workflowId: alertId, args: [input] });
    const status = await worker.runUntil(handle.result());

    expect(attempts).toEqual([1, 2]);
    expect(status).toMatchObject({ state: 'published', severity: status.classification?.severity });
    const file = status.publication?.file ?? '';
    expect(file).toBe(`nordwind-handel/alerts-${status.severity}.jsonl`);
    const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { alertId: string; publishedAt: string });
    expect(lines.filter((l) => l.alertId === alertId)).toHaveLength(1);
    // The retry found the row: the publication it returned is the first one's.
    expect(status.publication?.publishedAt).toBe((await stores.readModel.find(alertId))?.publishedAt);
    expect(lines[0]?.publishedAt).toBe(status.publication?.publishedAt);
    expect(markersOf(await handle.fetchHistory(), 'core_local_activity')).toEqual(['analyseClassifyPublish']);
  } finally {
    await stores.close();
  }
}, 120_000);

test('R3 R18 a one-step activity that fails its three local attempts is handed to the regular activity, publishes, and the trail shows the same entries', async () => {
  const calls: string[] = [];
  const stubs = pipelineStubs(calls, 'fallback-test');
  const local: boolean[] = [];
  const activities: Pick<AlertActivities, 'analyseClassifyPublish'> = {
    // The read model is down while the local attempts run; the regular activity finds it back.
    analyseClassifyPublish: async (input) => {
      const { isLocal } = Context.current().info;
      local.push(isLocal);
      if (isLocal) throw new Error('the read model answered 500');
      return stubs.analyseClassifyPublish(input);
    },
  };
  const taskQueue = `one-step-fallback-${randomUUID()}`;
  const alertId = `alert.one-step-fallback.${randomUUID()}`;
  const input = { ...alertWorkflowInput(alertId, sampleAlert({ tenantId: 'nordwind-handel' })), webhookTargets: [] };
  const worker = await Worker.create({ connection: nativeConnection, namespace: testTemporal().namespace, taskQueue, workflowBundle: { codePath: testTemporal().bundlePath }, sinks: REPLAY_SINKS, activities });
  const handle = await client.workflow.start(alertWorkflow, { taskQueue, workflowId: alertId, args: [input] });
  const status = await worker.runUntil(handle.result());

  expect(local).toEqual([true, true, true, false]);
  expect(status).toMatchObject({ state: 'published', severity: 'medium', publication: { file: 'nordwind-handel/alerts-medium.jsonl' } });
  expect(status.timeline.map((t) => t.kind)).toEqual(['received', 'analysed', 'classified', 'published']);
  const history = await handle.fetchHistory();
  const scheduled = (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
  expect(scheduled).toEqual(['analyseClassifyPublish']);
  // The failed local attempts are recorded as one failed marker.
  expect(markersOf(history, 'core_local_activity')).toEqual(['analyseClassifyPublish']);

  const trail = decisionTrail([{ workflowId: alertId, workflowType: 'alertWorkflow', history }]);
  expect(trail.filter((e) => e.kind === 'classification').map((e) => e.detail)).toEqual(expect.arrayContaining(['No detection rule matched', expect.stringMatching(/^Classified medium by default/)]));
  expect(trail.filter((e) => e.kind === 'classification')).toHaveLength(2);
  expect(trail.filter((e) => e.kind === 'activity').map((e) => e.detail)).toEqual([
    'analyseClassifyPublish failed: the read model answered 500',
    'Published to the dashboard and to nordwind-handel/alerts-medium.jsonl',
  ]);
}, 120_000);
