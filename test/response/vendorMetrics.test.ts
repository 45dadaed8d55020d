/** Vendor call failures are counted on the worker's Temporal metric meter by vendor and kind; throttling (429) apart. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noopMetricMeter, type MetricCounter, type MetricMeter, type MetricTags } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { vendorFetch } from '../../activities/response/vendorHttp';

const recorded: { name: string; value: number; tags: MetricTags }[] = [];
const meter: MetricMeter = {
  createCounter(name: string): MetricCounter {
    const counter: MetricCounter = {
      name,
      kind: 'counter',
      valueType: 'int',
      add: (value: number, tags: MetricTags = {}) => void recorded.push({ name, value, tags }),
      withTags: () => counter,
    };
    return counter;
  },
  createHistogram: (...args) => noopMetricMeter.createHistogram(...args),
  createGauge: (...args) => noopMetricMeter.createGauge(...args),
  withTags: () => meter,
};

let server: Server;
let base: string;
const statuses = [429, 503, 403];
beforeAll(async () => {
  server = createServer((request, response) => {
    const status = Number(request.url?.slice(1));
    response.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '7' } : {}) });
    response.end(JSON.stringify({ error: { code: 'x', message: `status ${status}` } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('a 429 counts as throttled, a 5xx as unavailable, a 403 as refused; the count needs no vendor secret in its tags', async () => {
  const env = new MockActivityEnvironment({}, { metricMeter: meter, logger: new DefaultLogger('ERROR', () => undefined) });
  for (const status of statuses) {
    await expect(
      env.run(() => vendorFetch({ vendor: 'Defender', method: 'GET', url: new URL(`${base}/${status}`), authorization: 'Bearer s3cret', timeoutMs: 2_000, secrets: ['s3cret'] })),
    ).rejects.toThrow(String(status));
  }
  const errors = recorded.filter((r) => r.name === 'soar_vendor_call_errors');
  expect(errors.map((r) => [r.value, r.tags.vendor, r.tags.kind])).toEqual([
    [1, 'Defender', 'throttled'],
    [1, 'Defender', 'unavailable'],
    [1, 'Defender', 'refused'],
  ]);
});

test('outside an activity nothing is counted and the failure is unchanged', async () => {
  recorded.length = 0;
  await expect(vendorFetch({ vendor: 'Defender', method: 'GET', url: new URL(`${base}/429`), authorization: 'Bearer x', timeoutMs: 2_000, secrets: [] })).rejects.toThrow('429');
  expect(recorded).toEqual([]);
});
