/** Traces leave the process over OTLP/HTTP only when the standard OTEL_EXPORTER_OTLP_* variables say where. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../infra/config';
import { createTracing } from '../../infra/telemetry/tracing';

let collector: Server;
let base: string;
const received: { path: string; contentType: string; body: string }[] = [];

beforeAll(async () => {
  collector = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ path: request.url ?? '', contentType: request.headers['content-type'] ?? '', body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

test('OTEL_EXPORTER_OTLP_ENDPOINT sends to <endpoint>/v1/traces; the traces endpoint wins; unset means no export', () => {
  expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing.otlpTracesUrl).toBe('http://collector:4318/v1/traces');
  expect(
    loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/custom' }).tracing.otlpTracesUrl,
  ).toBe('http://traces:4318/custom');
  expect(loadConfig({}).tracing.otlpTracesUrl).toBeNull();
  expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
});

test('SOAR_WORKFLOW_TRACING is off unless set to on; any other value is refused by name', () => {
  expect(loadConfig({}).tracing.workflow).toBe('off');
  expect(loadConfig({ SOAR_WORKFLOW_TRACING: 'on' }).tracing.workflow).toBe('on');
  expect(() => loadConfig({ SOAR_WORKFLOW_TRACING: 'yes' })).toThrow(/SOAR_WORKFLOW_TRACING/);
});

test('a span of soar-api reaches the collector with its service name when the process shuts down', async () => {
  const tracing = createTracing('soar-api', { otlpTracesUrl: `${base}/v1/traces` });
  tracing.tracer.startSpan('POST /v1/alerts').end();
  await tracing.shutdown();
  const [sent] = received;
  expect(sent).toMatchObject({ path: '/v1/traces', contentType: expect.stringContaining('application/json') });
  expect(sent?.body).toContain('soar-api');
  expect(sent?.body).toContain('POST /v1/alerts');
});
