/** One trace follows an alert from the HTTP request through the workflow start and run into the activities; the request log names it. */
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Writable } from 'node:stream';
import request from 'supertest';
import { alertIdFor } from '../../domain/alertIdentity';
import { sampleAlert } from '../support/alerts';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

const exporter = new InMemorySpanExporter();
const lines: string[] = [];
let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    logDestination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    }),
  });
});
afterAll(async () => {
  await engine?.stop();
});

const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);

test('POST /v1/alerts, StartWorkflow, RunWorkflow and the activities share one trace id, across the API and the worker', async () => {
  const alert = sampleAlert();
  const response = await request(engine.app).post('/v1/alerts').set('Authorization', `Bearer ${engine.key('ingest', 'nordwind-handel')}`).send(alert);
  expect(response.status).toBe(202);
  const workflowId = alertIdFor(alert);
  await waitFor(async () => (await engine.client.workflow.getHandle(workflowId).describe()).status.name, (s) => s === 'COMPLETED', 'the package-1 alert workflow to complete');

  const spans = await waitFor(
    async () => exporter.getFinishedSpans(),
    (all) => all.some((s) => s.name === 'RunActivity:publishAlert' && s.attributes.temporalWorkflowId === workflowId),
    'the publishAlert activity span',
  );
  const [http] = named(spans, 'POST /v1/alerts').filter((s) => s.attributes['http.response.status_code'] === 202);
  expect(http).toBeDefined();
  const traceId = http?.spanContext().traceId;
  const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
  const start = named(inTrace, 'StartWorkflow:alertWorkflow');
  const run = named(inTrace, 'RunWorkflow:alertWorkflow');
  const activities = inTrace.filter((s) => s.name.startsWith('RunActivity:') && s.attributes.temporalWorkflowId === workflowId);
  expect(start).toHaveLength(1);
  expect(run).toHaveLength(1);
  expect(activities.map((s) => s.name)).toEqual(expect.arrayContaining(['RunActivity:analyseAlert', 'RunActivity:publishAlert']));
  // Parentage: the start is the request's child; the API's spans are soar-api's, the workflow's and activities' soar-worker's.
  expect(start[0]?.parentSpanId).toBe(http?.spanContext().spanId);
  expect(http?.resource.attributes['service.name']).toBe('soar-api');
  expect(activities[0]?.resource.attributes['service.name']).toBe('soar-worker');
  expect(run[0]?.resource.attributes['service.name']).toBe('soar-worker');
  // The request's log line names the trace, so the log leads to the spans.
  const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.route === '/v1/alerts' && l.alertId === workflowId);
  expect(logged?.traceId).toBe(traceId);
  // No raw path, query or body on the request span.
  expect(JSON.stringify(http?.attributes)).not.toContain(alert.externalId);
});
