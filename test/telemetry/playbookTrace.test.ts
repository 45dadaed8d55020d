/** A playbook run against the HTTPS vendor fakes: the vendor call is a span under its activity, in the run's trace. */
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { PlaybookHarness } from '../playbooks/playbookHarness';
import { sampleAlert } from '../support/alerts';
import { startVendorEngine, type VendorEngine } from '../support/vendorEngine';
import { waitFor } from '../support/waitFor';

const exporter = new InMemorySpanExporter();
let running: VendorEngine;
const harness = new PlaybookHarness(() => running.engine);

beforeAll(async () => {
  running = await startVendorEngine({ spanProcessors: [new SimpleSpanProcessor(exporter)], workflowTracing: 'on' });
});
afterAll(async () => {
  await running?.stop();
});

test('the release-matrix lookup of a playbook run calls Graph in a client span under RunActivity:lookUpTarget, in the run trace', async () => {
  const upn = 'j.becker@mueller-logistik.example';
  const alertId = await harness.readyForResponse(
    sampleAlert({
      tenantId: 'mueller-logistik',
      source: 'm365',
      title: 'Atypical travel followed by an inbox forwarding rule',
      entities: { users: [{ name: upn, upn }], hosts: [], ips: [], files: [], processes: [], urls: [] },
    }),
  );
  expect((await harness.startPlaybook(alertId, 'compromised-account')).status).toBe(201);
  await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'the first approval');

  const byId = (spans: ReadableSpan[]) => new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const spans = await waitFor(
    async () => exporter.getFinishedSpans(),
    (all) => all.some((s) => s.name === 'Graph GET' && byId(all).get(s.parentSpanId ?? '')?.name === 'RunActivity:lookUpTarget'),
    'a Graph span under the lookUpTarget activity',
  );
  const graph = spans.find((s) => s.name === 'Graph GET' && byId(spans).get(s.parentSpanId ?? '')?.name === 'RunActivity:lookUpTarget');
  expect(graph?.attributes).toMatchObject({ 'soar.vendor': 'Graph', 'http.request.method': 'GET', 'server.address': new URL(running.fakes.urls.graph).hostname });
  expect(JSON.stringify(graph?.attributes)).not.toContain(upn);
  const traceId = graph?.spanContext().traceId;
  const inTrace = spans.filter((s) => s.spanContext().traceId === traceId).map((s) => s.name);
  // The run still waits for the approval, so its RunWorkflow span is open; what led to the lookup has ended.
  expect(inTrace).toEqual(
    expect.arrayContaining(['POST /v1/alerts/:alertId/playbooks', 'StartWorkflowUpdate:startPlaybook', 'StartChildWorkflow:playbookRunWorkflow', 'StartActivity:lookUpTarget']),
  );
});
