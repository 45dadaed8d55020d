/**
 * The production form, run the way production runs it: PostgreSQL for the engine's state and for Temporal, the
 * Temporal server of deploy/temporal (mTLS, built from the Go module proxy), and two worker and two API processes
 * started with plain node from a folder holding exactly the files the Dockerfile copies (NODE_ENV=production, hashed
 * API keys, a payload-keys file, the tenant files mounted from outside the image). Docker itself does not run here.
 */
import { Client, Connection } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import type { NormalisedAlertInput } from '../../domain/alert';
import { sha256Hex } from '../../api/auth/apiKeys';
import { freePort } from '../../infra/freePort';
import { loadConfiguredKeyring } from '../../infra/crypto/payloadKeys';
import { TenantPayloadCodec } from '../../infra/crypto/tenantPayloadCodec';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { startClusterServer, type ClusterServer } from '../../infra/temporal/clusterServer';
import { benignAlert, sampleAlert } from '../support/alerts';
import { startEngineProcess, type EngineProcess } from '../support/engineProcess';
import { assembleImage, finalStageCopies } from '../support/imageFolder';
import { REPO, testDatabase, testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';

const run = promisify(execFile);
const NAMESPACE = 'soar-topology';
const TENANT = 'nordwind-handel';
/** The production keys file stores hashes only; these are the keys the test presents. */
const KEYS = {
  admin: { id: 'ops-admin', role: 'admin', key: 'topology_admin_5d8e1f0a9b2c4d6e' },
  analyst: { id: 'ops-analyst', role: 'analyst', key: 'topology_analyst_7a1c3e5b9d0f2468' },
  ingest: { id: 'ops-ingest-nordwind', role: 'ingest', tenantId: TENANT, key: 'topology_ingest_1b3d5f7a9c0e2468' },
  customer: { id: 'ops-customer-nordwind', role: 'customer', tenantId: TENANT, key: 'topology_customer_2c4e6a8b0d1f3579' },
  ingestMueller: { id: 'ops-ingest-mueller', role: 'ingest', tenantId: 'mueller-logistik', key: 'topology_ingest_mueller_9e8d7c6b5a' },
  customerMueller: { id: 'ops-customer-mueller', role: 'customer', tenantId: 'mueller-logistik', key: 'topology_customer_mueller_1a2b3c4d5e' },
} as const;

let cluster: ClusterServer;
let engineDatabase: string;
let image: string;
let env: Record<string, string>;
const workers: EngineProcess[] = [];
const apis: (EngineProcess & { url: string })[] = [];
let connection: Connection;
let client: Client;

const log = (line: string) => process.stderr.write(`[topology] ${line}\n`);

let tlsDir: string;
const tlsFile = (name: string) => join(tlsDir, name);

async function startWorker(): Promise<EngineProcess> {
  const dataDir = mkdtempSync(join(testTemporal().workDir, 'topology-worker-'));
  return startEngineProcess({ entry: 'dist/engine/workerProcess.js', compiled: { cwd: image }, readyWhen: '"worker running"', env: { ...env, SOAR_DATA_DIR: dataDir }, readyTimeoutMs: 240_000 });
}

async function startApi(): Promise<EngineProcess & { url: string }> {
  const dataDir = mkdtempSync(join(testTemporal().workDir, 'topology-api-'));
  const started = await startEngineProcess({
    entry: 'dist/engine/apiProcess.js',
    compiled: { cwd: image },
    readyWhen: '"API listening"',
    env: { ...env, SOAR_DATA_DIR: dataDir, API_PORT: String(await freePort()), API_HOST: '127.0.0.1' },
    readyTimeoutMs: 120_000,
  });
  const url = /"url":"(http:\/\/[^"]+)"/.exec(started.output())?.[1];
  if (!url) throw new Error(`the API process did not say where it listens:\n${started.output().slice(-2000)}`);
  return { ...started, url };
}

beforeAll(async () => {
  const work = mkdtempSync(join(testTemporal().workDir, 'topology-'));
  // The certificates as an operator makes them for docker-compose.yml (docs/deployment.md).
  tlsDir = join(work, 'tls');
  await run(process.execPath, [join(REPO, 'scripts/make-tls.cjs'), tlsDir]);
  image = join(work, 'app');
  await assembleImage(image);
  const admin = new URL(process.env['SOAR_TEST_POSTGRES_URL'] ?? '');
  const suffix = work.slice(-6).toLowerCase().replace(/[^a-z0-9]/g, 'x');
  cluster = await startClusterServer({
    toolsDir: join(REPO, '.tools'),
    postgres: { host: admin.hostname, port: Number(admin.port), user: admin.username },
    databases: { temporal: `temporal_${suffix}`, visibility: `temporal_visibility_${suffix}` },
    tls: {
      certFile: tlsFile('temporal.pem'),
      keyFile: tlsFile('temporal-key.pem'),
      caFile: tlsFile('ca.pem'),
      clientCertFile: tlsFile('engine.pem'),
      clientKeyFile: tlsFile('engine-key.pem'),
      serverName: 'temporal',
    },
    log,
  });
  engineDatabase = await testDatabase('topology');
  const keysFile = join(work, 'api-keys.yaml');
  writeFileSync(
    keysFile,
    `keys:\n${Object.values(KEYS)
      .map((k) => `  - { id: ${k.id}, role: ${k.role}, ${'tenantId' in k ? `tenantId: ${k.tenantId}, ` : ''}sha256: "${sha256Hex(k.key)}" }`)
      .join('\n')}\n`,
  );
  // R20: where this deployment's endpoints run (required in production).
  const locationsFile = join(work, 'endpoint-locations.yaml');
  writeFileSync(locationsFile, 'endpoints:\n  temporal: { host: 127.0.0.1 (this machine), country: DE }\n  database: { host: 127.0.0.1 (this machine), country: DE }\n');
  env = {
    NODE_ENV: 'production',
    SOAR_ENDPOINT_LOCATIONS_FILE: locationsFile,
    // R13: Microsoft 365 tenants need readable Graph secrets; the pulls go to an address where nothing answers.
    MUELLER_GRAPH_CLIENT_SECRET: 'topology-not-a-secret',
    RHEINWERK_GRAPH_CLIENT_SECRET: 'topology-not-a-secret',
    SOAR_GRAPH_BASE_URL: 'https://127.0.0.1:9/',
    SOAR_ENTRA_AUTHORITY_HOST: 'https://127.0.0.1:9',
    SOAR_DEFENDER_BASE_URL: 'https://127.0.0.1:9',
    TEMPORAL_ADDRESS: cluster.address,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TEMPORAL_TASK_QUEUE: 'topology',
    TEMPORAL_TLS_CA_FILE: tlsFile('ca.pem'),
    TEMPORAL_TLS_CERT_FILE: tlsFile('engine.pem'),
    TEMPORAL_TLS_KEY_FILE: tlsFile('engine-key.pem'),
    TEMPORAL_TLS_SERVER_NAME: 'temporal',
    SOAR_DATABASE_URL: engineDatabase,
    SOAR_API_KEYS_FILE: keysFile,
    SOAR_PAYLOAD_KEYS_FILE: testTemporal().payloadKeysFile,
    // Mounted, not baked into the image.
    SOAR_TENANTS_DIR: join(REPO, 'config/tenants'),
    API_REQUEST_TIMEOUT_MS: '10000',
  };
  // One after the other: each worker sets up the namespace and bundles the workflows, which crowds two cores.
  workers.push(await startWorker(), await startWorker());
  apis.push(await startApi(), await startApi());
  connection = await Connection.connect(cluster.connectionOptions());
  // An auditor's client: the same payload keys as the engine's processes, so it reads what they wrote.
  const tenantIds = loadTenantDirectory(join(REPO, 'config/tenants')).all().map((t) => t.id);
  const codec = new TenantPayloadCodec(loadConfiguredKeyring({ keysFile: testTemporal().payloadKeysFile }, tenantIds));
  client = new Client({ connection, namespace: NAMESPACE, dataConverter: { payloadCodecs: [codec] } });
}, 900_000);

afterAll(async () => {
  await Promise.all([...apis, ...workers].map((p) => p.stop()));
  await connection?.close();
  await cluster?.stop();
});

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

async function postAlert(api: { url: string }, alert: NormalisedAlertInput, key: string = KEYS.ingest.key): Promise<{ status: number; alertId?: string }> {
  const response = await fetch(`${api.url}/v1/alerts`, { method: 'POST', headers: { ...bearer(key), 'Content-Type': 'application/json' }, body: JSON.stringify(alert) });
  const body = (await response.json().catch(() => ({}))) as { alertId?: string };
  return { status: response.status, ...(body.alertId ? { alertId: body.alertId } : {}) };
}

async function alertOn(api: { url: string }, alertId: string): Promise<{ status: number; body: { state?: string; severity?: string; package?: number } }> {
  const response = await fetch(`${api.url}/v1/alerts/${encodeURIComponent(alertId)}`, { headers: bearer(KEYS.analyst.key) });
  return { status: response.status, body: (await response.json()) as { state?: string; severity?: string; package?: number } };
}

const api1 = () => apis[0]!;
const api2 = () => apis[1]!;

test('the image holds every runtime file and no tenant file', () => {
  const { copies, command } = finalStageCopies();
  expect(copies.map((c) => c.target)).toEqual(expect.arrayContaining(['dist', 'node_modules', 'config/soc', 'playbooks', 'detection/rules', 'detection/mappings']));
  expect(existsSync(join(image, 'config/tenants'))).toBe(false);
  expect(command).toEqual(['node', 'dist/engine/workerProcess.js']);
  expect(existsSync(join(image, 'dist/engine/apiProcess.js'))).toBe(true);
});

test('an alert posted to one API is read back through the other: its state and the report', async () => {
  const alert = sampleAlert();
  const posted = await postAlert(api1(), alert);
  expect(posted.status).toBe(202);
  const alertId = posted.alertId ?? '';
  const read = await waitFor(() => alertOn(api2(), alertId), (r) => r.status === 200 && typeof r.body.severity === 'string', 'the alert classified, read through API 2', 120_000);
  expect(read.body.severity).toBe('critical');
  // The report reads the read model the worker wrote into PostgreSQL.
  const day = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000 * 2).toISOString().slice(0, 10);
  const report = await waitFor(
    async () => (await (await fetch(`${api2().url}/v1/tenants/${TENANT}/reports/alerts?from=${day}&to=${tomorrow}&format=json`, { headers: bearer(KEYS.customer.key) })).json()) as { total: number; bySeverity: Record<string, number> },
    (r) => r.total >= 1,
    'the alert in the report of API 2',
    60_000,
  );
  expect(report.bySeverity['critical']).toBeGreaterThanOrEqual(1);
}, 180_000);

test('a dashboard session opened on one API works on the other, and logging out there ends it everywhere', async () => {
  const loginPage = await fetch(`${api1().url}/dashboard/login`);
  const loginCookie = /soar_login=([^;]+)/.exec(loginPage.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())?.[1] ?? '';
  const login = await fetch(`${api1().url}/dashboard/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `soar_login=${loginCookie}` },
    body: new URLSearchParams({ _csrf: csrf, key: KEYS.analyst.key }).toString(),
  });
  expect(login.status).toBe(303);
  const session = /soar_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  expect(session).toBeDefined();
  const onApi2 = await fetch(`${api2().url}/dashboard/queue`, { redirect: 'manual', headers: { Cookie: `soar_session=${session}` } });
  expect(onApi2.status).toBe(200);
  const page = await onApi2.text();
  expect(page).toContain('ops-analyst');
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const logout = await fetch(`${api2().url}/dashboard/logout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `soar_session=${session}` },
    body: new URLSearchParams({ _csrf: csrfToken }).toString(),
  });
  expect(logout.status).toBe(303);
  const afterLogout = await fetch(`${api1().url}/dashboard/queue`, { redirect: 'manual', headers: { Cookie: `soar_session=${session}` } });
  expect(afterLogout.status).toBe(303);
  expect(afterLogout.headers.get('location')).toBe('/dashboard/login');
}, 60_000);

test('R16 a package change made through one API applies to intake on the other once in force', async () => {
  const tenantId = 'mueller-logistik';
  const change = await fetch(`${api2().url}/v1/tenants/${tenantId}/package-changes`, {
    method: 'POST',
    headers: { ...bearer(KEYS.admin.key), 'Content-Type': 'application/json' },
    body: JSON.stringify({ package: 3 }),
  });
  expect(change.status).toBe(201);
  const { effectiveDate, toPackage } = (await change.json()) as { effectiveDate: string; toPackage: number };
  expect(toPackage).toBe(3);
  const listed = (await (await fetch(`${api1().url}/v1/tenants/${tenantId}/package-changes`, { headers: bearer(KEYS.customerMueller.key) })).json()) as { items: { effectiveDate: string }[] };
  expect(listed.items.map((i) => i.effectiveDate)).toContain(effectiveDate);
  // Time passes: the change's first day is moved into the past in the shared database, as the calendar would.
  const db = new PgClient({ connectionString: engineDatabase });
  await db.connect();
  try {
    await db.query('UPDATE package_changes SET effective_from = $1 WHERE tenant_id = $2 AND effective_date = $3', [new Date(Date.now() - 60_000).toISOString(), tenantId, effectiveDate]);
  } finally {
    await db.end();
  }
  const posted = await postAlert(api1(), benignAlert({ tenantId, source: 'm365' }), KEYS.ingestMueller.key);
  expect(posted.status).toBe(202);
  const read = await waitFor(() => alertOn(api1(), posted.alertId ?? ''), (r) => r.status === 200, 'the alert after the change', 60_000);
  expect(read.body.package).toBe(3);
}, 120_000);

test('a work order survives the deletion of its workflow', async () => {
  const ordered = await fetch(`${api1().url}/v1/work-orders`, {
    method: 'POST',
    headers: { ...bearer(KEYS.customer.key), 'Content-Type': 'application/json' },
    body: JSON.stringify({ description: 'Block 203.0.113.7 at the perimeter firewall', requestId: 'topology-order-1' }),
  });
  expect(ordered.status).toBe(201);
  const { workOrderId } = (await ordered.json()) as { workOrderId: string };
  // Its trail in Temporal first: the work order's workflow records it, then ends.
  await waitFor(() => client.workflow.getHandle(workOrderId).describe().then((d) => d.status.name), (state) => state === 'COMPLETED', 'the work order workflow completed', 60_000);
  await connection.workflowService.deleteWorkflowExecution({ namespace: NAMESPACE, workflowExecution: { workflowId: workOrderId } });
  await waitFor(
    () => client.workflow.getHandle(workOrderId).describe().then(() => 'present', () => 'gone'),
    (state) => state === 'gone',
    'the work order workflow deleted',
    60_000,
  );
  const listed = (await (await fetch(`${api2().url}/v1/work-orders?tenantId=${TENANT}`, { headers: bearer(KEYS.analyst.key) })).json()) as { items: { workOrderId: string; description: string }[] };
  expect(listed.items.find((o) => o.workOrderId === workOrderId)).toMatchObject({ description: 'Block 203.0.113.7 at the perimeter firewall' });
}, 120_000);

test('kill -9 of one worker and one API during a burst loses and duplicates nothing', async () => {
  const count = 24;
  const alerts = Array.from({ length: count }, () => sampleAlert({ title: 'Routine software inventory finished', description: 'inventory', entities: { users: [], hosts: [{ hostname: 'WS-0100', ips: [] }], ips: [], files: [], processes: [], urls: [] } }));
  const acknowledged = new Map<number, string>();
  let killed = false;
  for (const [index, alert] of alerts.entries()) {
    if (index === count / 3 && !killed) {
      killed = true;
      await Promise.all([workers[0]!.kill(), apis[0]!.kill()]);
    }
    // What the first API cannot take is sent again to the second (safe: the business key makes a re-send a duplicate).
    for (const api of index % 2 === 0 && apis[0]!.running() ? [apis[0]!, apis[1]!] : [apis[1]!]) {
      const posted = await postAlert(api, alert).catch(() => ({ status: 0 }) as { status: number; alertId?: string });
      if (posted.status === 202 && 'alertId' in posted && posted.alertId) {
        acknowledged.set(index, posted.alertId);
        break;
      }
    }
  }
  expect(acknowledged.size).toBe(count);
  const ids = [...new Set(acknowledged.values())];
  expect(ids).toHaveLength(count);
  for (const alertId of ids) {
    await waitFor(() => alertOn(apis[1]!, alertId), (r) => r.status === 200 && r.body.severity !== undefined && r.body.severity !== null, `${alertId} classified`, 180_000);
  }
  const db = new PgClient({ connectionString: engineDatabase });
  await db.connect();
  try {
    const { rows } = await db.query<{ alert_id: string; n: string }>('SELECT alert_id, COUNT(*) AS n FROM dashboard_alerts WHERE alert_id = ANY($1::text[]) GROUP BY alert_id', [ids]);
    expect(rows).toHaveLength(count);
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
  } finally {
    await db.end();
  }
  // One workflow per alert in Temporal, however often it was sent.
  const executions = await client.workflow.count(`WorkflowType = 'alertWorkflow' AND WorkflowId IN (${ids.map((id) => `'${id}'`).join(', ')})`);
  expect(executions.count).toBe(count);
}, 600_000);
