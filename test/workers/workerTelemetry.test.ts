/** The worker process: JSON logs through pino (the SDK's own lines included) and the SDK's metrics for Prometheus. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';
import { startWorkerProcess, type WorkerProcess } from '../support/workerProcess';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

let worker: WorkerProcess | undefined;
let port: number;
beforeAll(async () => {
  const { address, namespace, workDir } = testTemporal();
  port = await freePort();
  worker = await startWorkerProcess({
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: `telemetry-${randomUUID()}`,
    SOAR_DATA_DIR: join(mkdtempSync(join(workDir, 'telemetry-')), 'data'),
    SOAR_WORKER_METRICS_PORT: String(port),
    SOAR_WORKER_MAX_CACHED_WORKFLOWS: '50',
  });
}, 180_000);
afterAll(async () => {
  await worker?.stop();
});

test('SOAR_WORKER_METRICS_PORT serves the Temporal SDK metrics in Prometheus format', async () => {
  const text = await waitFor(
    async () => (await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()).catch(() => '')),
    (t) => t.includes('temporal_'),
    'the worker metrics',
  );
  expect(text).toMatch(/^# (HELP|TYPE) temporal_\w+/m);
  expect(text).toMatch(/temporal_(worker_start|num_pollers|workflow_task_schedule_to_start_latency)\w*/);
});

test('the worker logs one JSON object per line, the SDK lines with their task queue, and runs with the configured cache size and the workflow heap limit derived from it', async () => {
  const jsonLines = async () => (worker?.output().split('\n').filter((l) => l.startsWith('{')) ?? []).map((l) => JSON.parse(l) as Record<string, unknown>);
  // The SDK's log collector holds its lines for about 100 ms to order them with core's, so they may follow "worker running".
  const parsed = await waitFor(jsonLines, (ls) => ls.some((l) => l.message === 'Worker state changed'), 'the SDK line "Worker state changed"');
  expect(parsed.find((l) => l.message === 'worker running')).toMatchObject({ level: 'info', metrics: `http://127.0.0.1:${port}/metrics`, maxCachedWorkflows: 50, workflowHeapMiB: 138 });
  expect(parsed.find((l) => l.message === 'Worker state changed')).toMatchObject({ level: 'info', sdkComponent: 'worker', state: 'RUNNING', taskQueue: expect.stringMatching(/^telemetry-/) });
});
