/**
 * One trace follows an alert from the HTTP request through the workflow start and run into the activities; the request
 * log names it. With SOAR_WORKFLOW_TRACING=on the workflow makes spans of its own (RunWorkflow, StartActivity); off, it
 * makes none and the activities' spans still join the request's trace (workflows/tracingInterceptors.ts).
 */
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Writable } from 'node:stream';
import request from 'supertest';
import { alertIdFor } from '../../domain/alertIdentity';
import { TRACING_PATCH } from '../../workflows/tracingInterceptors';
import { sampleAlert } from '../support/alerts';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

interface Traced {
  engine: TestEngine;
  exporter: InMemorySpanExporter;
  lines: string[];
}

const engines = new Map<'on' | 'off', Traced>();

beforeAll(async () => {
  for (const mode of ['on', 'off'] as const) {
    const exporter = new InMemorySpanExporter();
    const lines: string[] = [];
    const engine = await startTestEngine({
      workflowTracing: mode,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
      logDestination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          done();
        },
      }),
    });
    engines.set(mode, { engine, exporter, lines });
  }
});
afterAll(async () => {
  for (const { engine } of engines.values()) await engine.stop();
});

const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);

/** Posts a package-1 alert, waits for its workflow to complete and for its publication span; the spans in the request's trace. */
async function alertTrace(mode: 'on' | 'off') {
  const traced = engines.get(mode);
  if (!traced) throw new Error(`no engine with workflow tracing ${mode}`);
  const { engine, exporter, lines } = traced;
  const alert = sampleAlert();
  const response = await request(engine.app).post('/v1/alerts').set('Authorization', `Bearer ${engine.key('ingest', 'nordwind-handel')}`).send(alert);
  expect(response.status).toBe(202);
  const workflowId = alertIdFor(alert);
  await waitFor(async () => (await engine.client.workflow.getHandle(workflowId).describe()).status.name, (s) => s === 'COMPLETED', 'the package-1 alert workflow to complete');
  const spans = await waitFor(
    async () => exporter.getFinishedSpans(),
    (all) => all.some((s) => s.name === 'RunActivity:analyseClassifyPublish' && s.attributes.temporalWorkflowId === workflowId),
    'the analyseClassifyPublish activity span',
  );
  const [http] = named(spans, 'POST /v1/alerts').filter((s) => s.attributes['http.response.status_code'] === 202);
  expect(http).toBeDefined();
  const traceId = http?.spanContext().traceId;
  const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
  const start = named(inTrace, 'StartWorkflow:alertWorkflow');
  const activities = inTrace.filter((s) => s.name.startsWith('RunActivity:') && s.attributes.temporalWorkflowId === workflowId);
  expect(start).toHaveLength(1);
  // Package 1 in one step: analysis, classification and publication in one (local) activity.
  expect(activities.map((s) => s.name)).toEqual(expect.arrayContaining(['RunActivity:analyseClassifyPublish']));
  expect(activities.map((s) => s.name)).not.toContain('RunActivity:publishAlert');
  // Parentage: the start is the request's child; the API's spans are soar-api's, the workflow's and activities' soar-worker's.
  expect(start[0]?.parentSpanId).toBe(http?.spanContext().spanId);
  expect(http?.resource.attributes['service.name']).toBe('soar-api');
  expect(activities[0]?.resource.attributes['service.name']).toBe('soar-worker');
  // The request's log line names the trace, so the log leads to the spans.
  const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.route === '/v1/alerts' && l.alertId === workflowId);
  expect(logged?.traceId).toBe(traceId);
  // No raw path, query or body on the request span.
  expect(JSON.stringify(http?.attributes)).not.toContain(alert.externalId);
  const history = await engine.client.workflow.getHandle(workflowId).fetchHistory();
  // A patch marker's details hold the patch id in plain JSON (written by Temporal's core, not by the codec).
  const patches = (history.events ?? [])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .flatMap((e) => Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((p) => p.payloads ?? []))
    .map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8'));
  return { inTrace, start: start[0], activities, tracingPatch: patches.some((data) => data.includes(`"${TRACING_PATCH}"`)) };
}

test('SOAR_WORKFLOW_TRACING=on: POST /v1/alerts, StartWorkflow, RunWorkflow and the activities share one trace id, across the API and the worker', async () => {
  const { inTrace, activities, tracingPatch } = await alertTrace('on');
  expect(tracingPatch).toBe(true);
  const run = named(inTrace, 'RunWorkflow:alertWorkflow');
  expect(run).toHaveLength(1);
  expect(run[0]?.resource.attributes['service.name']).toBe('soar-worker');
  // The activities hang under the workflow's own StartActivity spans.
  const startActivity = new Set(named(inTrace, 'StartActivity:analyseClassifyPublish').map((s) => s.spanContext().spanId));
  expect(activities.some((a) => a.name === 'RunActivity:analyseClassifyPublish' && startActivity.has(a.parentSpanId ?? ''))).toBe(true);
});

test('SOAR_WORKFLOW_TRACING=off: no span inside the workflow, the activities still join the request trace under StartWorkflow', async () => {
  const { inTrace, start, activities, tracingPatch } = await alertTrace('off');
  expect(inTrace.filter((s) => s.name.startsWith('RunWorkflow:') || s.name.startsWith('StartActivity:'))).toEqual([]);
  for (const activity of activities) expect(activity.parentSpanId).toBe(start?.spanContext().spanId);
  // The workflow never asked for the tracing patch: its history says it is untraced, and replays so.
  expect(tracingPatch).toBe(false);
});
