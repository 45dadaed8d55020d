/**
 * A test engine whose response activities are the real adapters against the HTTPS vendor fakes (sample tenants
 * pointed at them), with a test SMTP server for the notices and service open throughout.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { startSmtpTestServer, type RunningSmtpServer } from '../notification/smtpTestServer';
import { REPO, alwaysInService, startTestEngine, type TestEngine, type TestEngineOptions } from './testEngine';
import { testTemporal } from './testEnv';
import { startVendorFakes, vendorEngineProcessEnv, writeVendorTestTenants, type VendorFakes } from './vendors';

export interface VendorEngine {
  engine: TestEngine;
  smtp: RunningSmtpServer;
  fakes: VendorFakes;
  /** The sample tenants' files as this engine reads them (pointed at the fakes). */
  tenantsDir: string;
  stop(): Promise<void>;
}

export async function startVendorEngine(options: TestEngineOptions = {}): Promise<VendorEngine> {
  const fakes = await startVendorFakes();
  const smtp = await startSmtpTestServer({ startTls: false });
  const { tenantsDir, env } = writeVendorTestTenants(mkdtempSync(join(testTemporal().workDir, 'vendors-')), fakes, join(REPO, 'config/tenants'));
  const engine = await startTestEngine({
    tenantsDir,
    rulesDir: join(REPO, 'test/fixtures/rules'),
    notifications: { smtpPort: smtp.port },
    vendors: { endpoints: fakes.endpoints, secretEnv: env },
    policy: (policy: TenantPolicy) => alwaysInService(policy),
    ...options,
  });
  return vendorEngineOf(engine, smtp, fakes, tenantsDir);
}

function vendorEngineOf(engine: TestEngine, smtp: RunningSmtpServer, fakes: VendorFakes, tenantsDir: string): VendorEngine {
  return {
    engine,
    smtp,
    fakes,
    tenantsDir,
    async stop() {
      await engine.stop();
      await smtp.close();
      await fakes.close();
    },
  };
}

/**
 * The same, but its workflows and activities run in a worker process the test starts with `workerEnv` (the production
 * entry, test/support/workerProcess.ts); the test engine here serves the API only, on the task queue named `<name>-…`.
 */
export async function startVendorEngineForWorkerProcess(name: string): Promise<VendorEngine & { workerEnv: Record<string, string> }> {
  const { address, namespace, workDir } = testTemporal();
  const fakes = await startVendorFakes();
  const smtp = await startSmtpTestServer({ startTls: false });
  const dir = mkdtempSync(join(workDir, `${name}-`));
  const { tenantsDir, env } = writeVendorTestTenants(dir, fakes, join(REPO, 'config/tenants'));
  const taskQueue = `${name}-${randomUUID()}`;
  const rulesDir = join(REPO, 'test/fixtures/rules');
  const workerEnv = vendorEngineProcessEnv({ temporal: { address, namespace, taskQueue }, dir, tenantsDir, secretEnv: env, fakes, smtpPort: smtp.port, rulesDir });
  const engine = await startTestEngine({ tenantsDir, rulesDir, externalWorker: { taskQueue }, policy: (p: TenantPolicy) => alwaysInService(p) });
  return { ...vendorEngineOf(engine, smtp, fakes, tenantsDir), workerEnv };
}
