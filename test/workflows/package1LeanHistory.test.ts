/**
 * Package 1's lean history (patch `soar-package1-lean-history`, issue 18, docs/performance.md): an alert whose input
 * carries its webhook targets records one patch marker, no look-up activity and one search-attribute upsert per
 * activation, and ends with the same record and the same search attributes for the dashboards as an alert without
 * them (the path of older inputs, which keeps the look-up and its patches).
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import type { AlertActivities } from '../../activities';
import { ALERT_STATE, SEVERITY } from '../../domain/searchAttributes';
import type { WebhookTarget } from '../../domain/webhooks/webhookTargets';
import { REPLAY_SINKS } from '../../infra/telemetry/temporalTracing';
import { LOCAL_PIPELINE_PATCH, PACKAGE1_LEAN_PATCH, alertWorkflow } from '../../workflows/alertWorkflow';
import { TRACING_PATCH } from '../../workflows/tracingInterceptors';
import { alertWorkflowInput } from '../support/alertInput';
import { sampleAlert } from '../support/alerts';
import { pipelineStubs } from '../support/pipelineStubs';
import { testTemporal } from '../support/testEnv';
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

/** Runs one package-1 alert to its end on a worker of its own; the activities answer as the real ones would. */
async function runAlert(webhookTargets: WebhookTarget[] | undefined, alert = sampleAlert({ tenantId: 'nordwind-handel' })) {
  const taskQueue = `lean-${randomUUID()}`;
  const alertId = `alert.lean.${randomUUID()}`;
  const input = { ...alertWorkflowInput(alertId, alert), ...(webhookTargets ? { webhookTargets } : {}) };
  expect(input.tenant.package).toBe(1);
  const calls: string[] = [];
  const activities: Pick<AlertActivities, 'analyseAlert' | 'publishAlert' | 'webhookTargets' | 'deliverWebhook'> = {
    webhookTargets: async () => {
      calls.push('webhookTargets');
      return [];
    },
    ...pipelineStubs(calls, 'lean-test'),
    deliverWebhook: async ({ targetId, event }) => {
      calls.push(`deliverWebhook ${targetId} ${event.type}`);
      return { status: 204, at: new Date().toISOString() };
    },
  };
  const worker = await Worker.create({ connection: nativeConnection, namespace: testTemporal().namespace, taskQueue, workflowBundle: { codePath: testTemporal().bundlePath }, sinks: REPLAY_SINKS, activities });
  const handle = await client.workflow.start(alertWorkflow, { taskQueue, workflowId: alertId, args: [input] });
  const status = await worker.runUntil(handle.result());
  const history = await handle.fetchHistory();
  // Visibility is written after the history: wait until it shows the run as closed, then read what dashboards read.
  const description = await waitFor(async () => handle.describe(), (d) => d.status.name === 'COMPLETED' && d.typedSearchAttributes.get(ALERT_STATE) === 'published', 'visibility of the closed alert');
  return { status, history, calls, searchAttributes: { state: description.typedSearchAttributes.get(ALERT_STATE), severity: description.typedSearchAttributes.get(SEVERITY) } };
}

/** The markers of that name, by patch id or local activity type; the tracing patch (this client starts traced) left out. */
function markersOf(history: History, name: string): string[] {
  return (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== name) return [];
    const key = name === 'core_patch' ? 'patch-data' : 'data';
    const text = Buffer.from(marker.details?.[key]?.payloads?.[0]?.data ?? []).toString();
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

test('R3 R18 a package-1 alert with its webhook targets in its input records one patch, no look-up and one upsert per activation, and ends as an alert without them', async () => {
  const alert = sampleAlert({ tenantId: 'nordwind-handel' });
  const lean = await runAlert([], alert);
  const before = await runAlert(undefined, alert);

  expect(markersOf(lean.history, 'core_patch')).toEqual([PACKAGE1_LEAN_PATCH]);
  expect(markersOf(lean.history, 'core_local_activity')).toEqual(['analyseAlert', 'publishAlert']);
  expect(lean.calls).toEqual(['analyseAlert', 'publishAlert']);
  // Start (analysing), analysis (severity and classified together), publication (published).
  expect(upsertsOf(lean.history)).toEqual([['AlertState'], ['AlertState', 'Severity'], ['AlertState']]);

  // The path of inputs without targets is the one from before the patch: its two patches, the look-up, four upserts.
  expect(markersOf(before.history, 'core_patch')).toEqual(expect.arrayContaining(['outbound-webhooks', LOCAL_PIPELINE_PATCH]));
  expect(markersOf(before.history, 'core_patch')).not.toContain(PACKAGE1_LEAN_PATCH);
  // The look-up and the analysis run side by side on the old path: either may be recorded first.
  expect(markersOf(before.history, 'core_local_activity').sort()).toEqual(['analyseAlert', 'publishAlert', 'webhookTargets']);
  expect(upsertsOf(before.history)).toEqual([['AlertState'], ['Severity'], ['AlertState'], ['AlertState']]);
  expect((lean.history.events ?? []).length).toBeLessThan((before.history.events ?? []).length);

  // The same outcome: record (but for ids and times) and what the dashboards' visibility queries see.
  const comparable = (s: typeof lean.status) => ({ ...s, alertId: null, receivedAt: null, publication: { ...s.publication, publishedAt: null }, timeline: s.timeline.map((t) => ({ ...t, at: null })) });
  expect(comparable(lean.status)).toEqual(comparable(before.status));
  expect(lean.status).toMatchObject({ state: 'published', severity: 'medium' }); // no rule, no vendor severity: medium (R2)
  expect(lean.searchAttributes).toEqual({ state: 'published', severity: 'medium' });
  expect(before.searchAttributes).toEqual(lean.searchAttributes);
  expect((lean.history.events ?? []).map((e) => e.eventType)).not.toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
}, 120_000);

test('R3 a lean package-1 alert delivers its lifecycle events to the webhook targets its input names, without looking them up', async () => {
  const lean = await runAlert([{ id: 'tenant:tickets', events: ['alert.classified'] }, { id: 'soc', events: null }]);

  expect(lean.calls).not.toContain('webhookTargets');
  expect(lean.calls.filter((c) => c.startsWith('deliverWebhook')).sort()).toEqual([
    'deliverWebhook soc alert.classified',
    'deliverWebhook soc alert.received',
    'deliverWebhook tenant:tickets alert.classified',
  ]);
  expect(lean.status.webhookDeliveries?.map((d) => `${d.target} ${d.type} ${d.delivered}`).sort()).toEqual([
    'soc alert.classified true',
    'soc alert.received true',
    'tenant:tickets alert.classified true',
  ]);
  expect(markersOf(lean.history, 'core_patch')).toEqual([PACKAGE1_LEAN_PATCH]);
}, 120_000);
