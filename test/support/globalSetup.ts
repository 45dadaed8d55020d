/** Starts one real Temporal server for the test run (building the CLI on first use) and bundles the workflows once. */
import { bundleWorkflowCode } from '@temporalio/worker';
import { Connection } from '@temporalio/client';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { prepareNamespace } from '../../infra/temporal/prepareNamespace';
import { namespaceRetentionDays, retentionOf } from '../../domain/retention';
import { provideTemporal } from '../../infra/temporal/provideTemporal';
import { WORKFLOWS_PATH } from '../../workers/alertWorker';
import { engineBundleOptions } from '../../infra/temporal/workflowBundle';
import { freePort } from '../../infra/freePort';
import { ensureDevPayloadKeys } from '../../infra/crypto/payloadKeys';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { startLocalPostgres } from '../../infra/postgres/localPostgres';
import { REPO, TEST_ENV, type RunningTestServer } from './testEnv';

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
    // As the worker does (R14): the longest retention the sample tenants agreed (rheinwerk 180 days), at least 90.
    const agreed = retentionOf(loadTenantDirectory(join(REPO, 'config/tenants')).all());
    await prepareNamespace({ connection, namespace, retentionDays: namespaceRetentionDays(90, agreed) });
  } finally {
    await connection.close();
  }
  const workDir = mkdtempSync(join(tmpdir(), 'soar-test-'));
  // As a worker bundling from source does: the tracing interceptors and the preloaded modules (workers/workflowBundle.ts).
  const bundle = await bundleWorkflowCode({ ...engineBundleOptions(WORKFLOWS_PATH), logger: quietLogger() });
  const bundlePath = join(workDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  // A throwaway PostgreSQL for the store contract tests and the production topology (each test file makes its databases).
  const postgres = await startLocalPostgres(log);
  process.env[TEST_ENV.postgres] = postgres.adminUrl;
  globalThis.__soarTestServer = {
    stop: async () => {
      await temporal.stop();
      await postgres.stop();
    },
  };
  process.env[TEST_ENV.address] = temporal.address;
  process.env[TEST_ENV.namespace] = namespace;
  process.env[TEST_ENV.bundle] = bundlePath;
  process.env[TEST_ENV.workDir] = workDir;
  // Random payload keys for this run (the sample tenants' and the SOC default), in a file like production's.
  const payloadKeysFile = join(workDir, 'payload-keys.yaml');
  ensureDevPayloadKeys(payloadKeysFile, loadTenantDirectory(join(REPO, 'config/tenants')).all().map((t) => t.id));
  process.env[TEST_ENV.payloadKeys] = payloadKeysFile;
}

function quietLogger() {
  const noop = () => undefined;
  return { trace: noop, debug: noop, info: noop, warn: (m: string) => process.stderr.write(`[bundle] ${m}\n`), error: (m: string) => process.stderr.write(`[bundle] ${m}\n`), log: noop };
}
