/** Vendor HTTP calls: a client span under the activity's span (method, host, status; never paths or secrets) and soar_vendor_calls_total. */
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { ActionRequest, ActionResult } from '../../domain/response/actionContract';
import { createTracing } from '../../infra/telemetry/tracing';
import { RHEINWERK, startResponseHarness, type ResponseHarness } from '../response/responseHarness';
import { VENDOR_TEST_SECRETS } from '../support/vendors';
import { recordingMeter } from './recordingMeter';

const exporter = new InMemorySpanExporter();
const tracing = createTracing('soar-worker', { otlpTracesUrl: null, processors: [new SimpleSpanProcessor(exporter)] });
const ws42 = { kind: 'host', hostname: 'ws-0042.rheinwerk.local' } as const;
let h: ResponseHarness;

beforeAll(async () => {
  h = await startResponseHarness({ tracer: tracing.tracer });
});
afterAll(async () => h?.close());
beforeEach(() => {
  h.reset();
  exporter.reset();
});

test('each Defender call of an isolation is a client span under the activity span, with method, host and status only', async () => {
  const activity = tracing.tracer.startSpan('RunActivity:defenderIsolateDevice');
  const result = await context.with(trace.setSpan(context.active(), activity), () => h.run('defender.isolateDevice', RHEINWERK, ws42));
  activity.end();
  expect(result.outcome).toBe('done');

  const calls = exporter.getFinishedSpans().filter((s) => s.attributes['soar.vendor'] === 'Defender');
  expect(calls.length).toBe(h.fakes.requests('defender').length);
  expect(calls.map((s) => s.name)).toEqual(expect.arrayContaining(['Defender GET', 'Defender POST']));
  const host = new URL(h.fakes.urls.defender).hostname;
  for (const span of calls) {
    expect(span.parentSpanId).toBe(activity.spanContext().spanId);
    expect(span.spanContext().traceId).toBe(activity.spanContext().traceId);
    expect(span.attributes).toEqual({ 'soar.vendor': 'Defender', 'http.request.method': span.name.split(' ')[1], 'server.address': host, 'http.response.status_code': expect.any(Number) });
  }
  const shown = JSON.stringify(calls.map((s) => ({ name: s.name, attributes: s.attributes, status: s.status })));
  expect(shown).not.toContain('/api/machines');
  expect(shown).not.toContain(VENDOR_TEST_SECRETS.NORDWIND_DEFENDER_CLIENT_SECRET);
});

test('a vendor 429 counts as throttled in soar_vendor_calls_total, answered calls as ok; the span says 429', async () => {
  const { meter, of } = recordingMeter();
  const env = new MockActivityEnvironment({}, { metricMeter: meter, logger: new DefaultLogger('ERROR', () => undefined) });
  const request: ActionRequest = {
    tenantId: RHEINWERK,
    alertId: 'alert-test-1',
    requestKey: 'run-1/step-1/1',
    action: 'defender.isolateDevice',
    target: ws42,
    subject: null,
    params: { isolationType: 'Full' },
    comment: 'SOC playbook run run-1: defender.isolateDevice',
  };
  h.fakes.defender.failNext(1, { status: 429, retryAfter: '1' });
  const isolate = (): Promise<ActionResult> => env.run(() => h.activities.defenderIsolateDevice(request));
  await expect(isolate()).rejects.toThrow('429');
  expect(of('soar_vendor_calls_total').map((r) => r.tags)).toMatchObject([{ vendor: 'Defender', outcome: 'throttled' }]);
  expect(exporter.getFinishedSpans().find((s) => s.attributes['http.response.status_code'] === 429)?.status.code).toBe(2);

  expect((await isolate()).outcome).toBe('done');
  const outcomes = of('soar_vendor_calls_total').map((r) => r.tags.outcome);
  expect(outcomes[0]).toBe('throttled');
  expect(outcomes.slice(1).every((o) => o === 'ok')).toBe(true);
  expect(outcomes.length).toBeGreaterThan(1);
});
