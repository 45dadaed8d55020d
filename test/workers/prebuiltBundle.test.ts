/**
 * A worker on a workflow bundle built beforehand (SOAR_WORKFLOW_BUNDLE, `npm run bundle:workflows`; issue 18): the
 * production worker entry runs alerts on it without bundling at start, and a missing file stops the start with the
 * variable's name.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ConfigError, loadConfig } from '../../infra/config';
import { benignAlert } from '../support/alerts';
import { runScript } from '../support/runScript';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { startWorkerProcess, type WorkerProcess } from '../support/workerProcess';

let dir: string;
let worker: WorkerProcess | undefined;
let engine: TestEngine | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(testTemporal().workDir, 'prebuilt-bundle-'));
});
afterAll(async () => {
  await engine?.stop();
  await worker?.stop();
});

test('a missing bundle file stops the configuration with SOAR_WORKFLOW_BUNDLE and how to build it', () => {
  const missing = join(dir, 'nowhere.js');
  expect(() => loadConfig({ SOAR_WORKFLOW_BUNDLE: missing })).toThrow(ConfigError);
  expect(() => loadConfig({ SOAR_WORKFLOW_BUNDLE: missing })).toThrow(/SOAR_WORKFLOW_BUNDLE.*npm run bundle:workflows/);
});

test('npm run bundle:workflows writes a bundle the production worker runs package-1 alerts on, without bundling at start', async () => {
  const file = join(dir, 'workflow-bundle.js');
  const built = await runScript('scripts/bundle-workflows.ts', [file]);
  expect(built).toMatchObject({ code: 0 });
  expect(existsSync(file)).toBe(true);
  expect(loadConfig({ SOAR_WORKFLOW_BUNDLE: file }).workflowBundlePath).toBe(file);

  const { address, namespace, payloadKeysFile } = testTemporal();
  const taskQueue = `prebuilt-${Date.now()}`;
  worker = await startWorkerProcess({ TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace, TEMPORAL_TASK_QUEUE: taskQueue, SOAR_DATA_DIR: join(dir, 'data'), SOAR_PAYLOAD_KEYS_FILE: payloadKeysFile, SOAR_WORKFLOW_BUNDLE: file }, 300_000);
  engine = await startTestEngine({ externalWorker: { taskQueue } });
  const response = await request(engine.app).post('/v1/alerts').set('Authorization', `Bearer ${engine.key('ingest', 'nordwind-handel')}`).set('Content-Type', 'application/json').send(JSON.stringify(benignAlert()));
  expect(response.status).toBe(202);
  const status = (await engine.client.workflow.getHandle(response.body.workflowId).result()) as { publication?: { publishedAt?: string } };
  expect(status.publication?.publishedAt).toEqual(expect.any(String));
  expect(worker.output()).not.toMatch(/Workflow bundle created/);
}, 300_000);
