/**
 * Package 1 analyses and publishes in local activities (issue 18, docs/performance.md): two of them on the path of
 * older inputs, one (`analyseClassifyPublish`, patch `soar-package1-one-step`) for an input with its webhook targets.
 * A local activity lives only in the worker running the workflow task: when that worker dies mid-analysis, the task
 * times out, another worker runs the activity again, and the alert is published all the same (R3).
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import type { AlertActivities } from '../../activities';
import { decisionTrail } from '../../infra/audit/decisionTrail';
import { REPLAY_SINKS } from '../../infra/telemetry/temporalTracing';
import { LOCAL_PIPELINE_PATCH, PACKAGE1_ONE_STEP_PATCH, alertWorkflow, type AlertWorkflowInput } from '../../workflows/alertWorkflow';
import { TRACING_PATCH } from '../../workflows/tracingInterceptors';
import { alertWorkflowInput } from '../support/alertInput';
import { sampleAlert } from '../support/alerts';
import { pipelineStubs } from '../support/pipelineStubs';
import { startEngineProcess, type EngineProcess } from '../support/engineProcess';
import { testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';

const EventType = temporal.api.enums.v1.EventType;
let connection: Connection;
let client: Client;
let stuck: EngineProcess | undefined;

beforeAll(async () => {
  connection = await Connection.connect({ address: testTemporal().address });
  client = new Client({ connection, namespace: testTemporal().namespace });
});
afterEach(async () => {
  await stuck?.stop();
  stuck = undefined;
});
afterAll(async () => {
  await connection.close();
});

/**
 * Starts the alert on a worker process that hangs inside the analysis, kills that process there, and runs the alert to
 * its end on a worker of this test: its status, the activities this worker ran, its history, patch and local markers.
 */
async function killedInsideAnalysis(input: AlertWorkflowInput) {
  const taskQueue = `local-crash-${randomUUID()}`;
  stuck = await startEngineProcess({ entry: 'test/support/stuckPipelineWorker.ts', readyWhen: '"worker running"', env: { SOAR_STUCK_TASK_QUEUE: taskQueue } });
  // A short task timeout so that the dead worker's task is given up quickly (the SDK default is 10 s).
  const handle = await client.workflow.start(alertWorkflow, { taskQueue, workflowId: input.alertId, args: [input], workflowTaskTimeout: '2 seconds' });
  const dying = stuck;
  await waitFor(async () => dying.output(), (out) => out.includes(`analysing ${input.alertId}`), 'the stuck worker to start the analysis');
  await stuck.kill();

  const calls: string[] = [];
  const activities: Pick<AlertActivities, 'analyseAlert' | 'publishAlert' | 'analyseClassifyPublish' | 'webhookTargets'> = {
    webhookTargets: async () => [],
    ...pipelineStubs(calls, 'crash-test'),
  };
  const nativeConnection = await NativeConnection.connect({ address: testTemporal().address });
  const worker = await Worker.create({ connection: nativeConnection, namespace: testTemporal().namespace, taskQueue, workflowBundle: { codePath: testTemporal().bundlePath }, sinks: REPLAY_SINKS, activities });
  const status = await worker.runUntil(handle.result());
  await nativeConnection.close();

  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const markers = events.flatMap((e) => (e.markerRecordedEventAttributes ? [e.markerRecordedEventAttributes] : []));
  const detail = (marker: (typeof markers)[number], key: string) => Buffer.from(marker.details?.[key]?.payloads?.[0]?.data ?? []).toString();
  return {
    status,
    calls,
    history,
    types: events.map((e) => e.eventType),
    patches: markers.filter((m) => m.markerName === 'core_patch').map((m) => detail(m, 'patch-data')),
    local: markers.filter((m) => m.markerName === 'core_local_activity').map((m) => (JSON.parse(detail(m, 'data')) as { activity_type: string }).activity_type),
  };
}

test('R3 R18 a package-1 alert whose worker dies inside its local analysis is analysed again by another worker, published, and its trail shows both steps', async () => {
  const alertId = `alert.local-crash.${randomUUID()}`;
  const input = alertWorkflowInput(alertId, sampleAlert({ tenantId: 'nordwind-handel' }));
  expect(input.tenant.package).toBe(1);
  const { status, calls, history, types, patches, local } = await killedInsideAnalysis(input);

  expect(status).toMatchObject({ state: 'published', publication: { dashboard: true, file: 'nordwind-handel/alerts-medium.jsonl' } }); // no rule, no vendor severity: medium (R2)
  expect(calls).toEqual(['analyseAlert', 'publishAlert']);
  // The dead worker's task timed out; the activities ran as local activities (markers), never as activity tasks.
  expect(types).toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
  expect(types).not.toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  expect(patches).toContainEqual(expect.stringContaining(LOCAL_PIPELINE_PATCH));
  // The webhook look-up (no webhooks configured here) is a local activity too.
  expect(local).toEqual(['webhookTargets', 'analyseAlert', 'publishAlert']);

  // R18: the decision trail reads the local activities' markers and the classification from the run's own record.
  const trail = decisionTrail([{ workflowId: alertId, workflowType: 'alertWorkflow', history }]);
  // Sorted by time: the classification's own time stamp (workflow time) is earlier than the markers' event time.
  const classification = trail.filter((e) => e.kind === 'classification').map((e) => e.detail);
  expect(classification).toHaveLength(2);
  expect(classification).toEqual(expect.arrayContaining(['No detection rule matched', expect.stringMatching(/^Classified medium by default/)]));
  expect(trail.filter((e) => e.kind === 'activity').map((e) => e.detail)).toContain('Published to the dashboard and to nordwind-handel/alerts-medium.jsonl');
}, 120_000);

test('R3 R18 a package-1 alert whose worker dies inside its one-step activity is analysed, classified and published by another worker, and its trail shows the same entries', async () => {
  const alertId = `alert.one-step-crash.${randomUUID()}`;
  const input = { ...alertWorkflowInput(alertId, sampleAlert({ tenantId: 'nordwind-handel' })), webhookTargets: [] };
  expect(input.tenant.package).toBe(1);
  const { status, calls, history, types, patches, local } = await killedInsideAnalysis(input);

  expect(status).toMatchObject({ state: 'published', severity: 'medium', publication: { dashboard: true, file: 'nordwind-handel/alerts-medium.jsonl' } });
  expect(status.timeline.map((t) => t.kind)).toEqual(['received', 'analysed', 'classified', 'published']);
  // Only this worker completed the step: one analysis, one publication.
  expect(calls).toEqual(['analyseClassifyPublish', 'analyseAlert', 'publishAlert']);
  expect(types).toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);
  expect(types).not.toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  // One patch marker (the tracing patch aside, which a client without tracing headers leaves to the workflow to ask).
  expect(patches.filter((p) => !p.includes(TRACING_PATCH))).toEqual([expect.stringContaining(PACKAGE1_ONE_STEP_PATCH)]);
  expect(local).toEqual(['analyseClassifyPublish']);

  // R18: the same three entries as the two-activity path: the analysis and the publication from the one marker.
  const trail = decisionTrail([{ workflowId: alertId, workflowType: 'alertWorkflow', history }]);
  const classification = trail.filter((e) => e.kind === 'classification').map((e) => e.detail);
  expect(classification).toHaveLength(2);
  expect(classification).toEqual(expect.arrayContaining(['No detection rule matched', expect.stringMatching(/^Classified medium by default/)]));
  expect(trail.filter((e) => e.kind === 'activity').map((e) => e.detail)).toEqual(['Published to the dashboard and to nordwind-handel/alerts-medium.jsonl']);
  expect(trail.find((e) => e.detail === 'No detection rule matched')?.evidence).toMatchObject({ ruleSetVersion: 'crash-test' });
}, 120_000);
