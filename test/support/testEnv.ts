/** How globalSetup hands the shared Temporal server to the test files (through environment variables). */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Client as PgClient } from 'pg';
import { CallerSigner } from '../../infra/crypto/callerSigner';
import { loadPayloadKeyring } from '../../infra/crypto/payloadKeys';

/** The repository's root folder. */
export const REPO = resolve(__dirname, '../..');

export const TEST_ENV = {
  address: 'SOAR_TEST_TEMPORAL_ADDRESS',
  namespace: 'SOAR_TEST_TEMPORAL_NAMESPACE',
  bundle: 'SOAR_TEST_WORKFLOW_BUNDLE',
  workDir: 'SOAR_TEST_WORK_DIR',
  /** The production variable itself, so a worker process a test spawns (engine/workerProcess.ts) reads the same keys. */
  payloadKeys: 'SOAR_PAYLOAD_KEYS_FILE',
  /** The run's PostgreSQL server, as its superuser's URL to the maintenance database. */
  postgres: 'SOAR_TEST_POSTGRES_URL',
} as const;

export interface RunningTestServer {
  stop(): Promise<void>;
}

export function testTemporal(): { address: string; namespace: string; bundlePath: string; workDir: string; payloadKeysFile: string } {
  const read = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the tests through jest so that test/support/globalSetup.ts starts Temporal`);
    return value;
  };
  return { address: read(TEST_ENV.address), namespace: read(TEST_ENV.namespace), bundlePath: read(TEST_ENV.bundle), workDir: read(TEST_ENV.workDir), payloadKeysFile: read(TEST_ENV.payloadKeys) };
}

/** A fresh database on the run's PostgreSQL server (globalSetup), for one test file; returns its URL. */
export async function testDatabase(prefix: string): Promise<string> {
  const admin = process.env[TEST_ENV.postgres];
  if (!admin) throw new Error(`${TEST_ENV.postgres} is not set: run the tests through jest so that test/support/globalSetup.ts starts PostgreSQL`);
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const client = new PgClient({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A caller signer with the run's payload keys: the test engines' alerts trust its assertions (domain/callerAssertion.ts). */
export function testCallerSigner(): CallerSigner {
  return new CallerSigner(loadPayloadKeyring(testTemporal().payloadKeysFile));
}
