/** Starts one real Temporal server for the test run (building the CLI on first use) and bundles the workflows once. */
import { bundleWorkflowCode } from '@temporalio/worker';
import { Connection } from '@temporalio/client';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { prepareNamespace } from '../../infra/temporal/prepareNamespace';
import { provideTemporal } from '../../infra/temporal/provideTemporal';
import { WORKFLOWS_PATH } from '../../workers/alertWorker';
import { freePort } from '../../infra/freePort';
import { TEST_ENV, type RunningTestServer } from './testEnv';

declare global {
  var __soarTestServer: RunningTestServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[test setup] ${line}\n`);
  const namespace = 'soar-test';
  const temporal = await provideTemporal(
    {
      address: process.env.TEMPORAL_ADDRESS,
      namespace,
      cliPath: process.env.TEMPORAL_CLI_PATH,
      searchPath: process.env.PATH ?? '',
      port: await freePort(),
      uiPort: null,
    },
    resolve(__dirname, '../../.tools'),
    log,
  );
  const connection = await Connection.connect({ address: temporal.address });
  try {
    await prepareNamespace({ connection, namespace, retentionDays: 90 });
  } finally {
    await connection.close();
  }
  const workDir = mkdtempSync(join(tmpdir(), 'soar-test-'));
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger() });
  const bundlePath = join(workDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  globalThis.__soarTestServer = { stop: () => temporal.stop() };
  process.env[TEST_ENV.address] = temporal.address;
  process.env[TEST_ENV.namespace] = namespace;
  process.env[TEST_ENV.bundle] = bundlePath;
  process.env[TEST_ENV.workDir] = workDir;
}

function quietLogger() {
  const noop = () => undefined;
  return { trace: noop, debug: noop, info: noop, warn: (m: string) => process.stderr.write(`[bundle] ${m}\n`), error: (m: string) => process.stderr.write(`[bundle] ${m}\n`), log: noop };
}
