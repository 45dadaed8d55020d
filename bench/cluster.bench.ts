/**
 * `npm run bench:cluster`: the package-1 pipeline on the production topology (PostgreSQL for the engine and for
 * Temporal, the Temporal server of deploy/temporal with mTLS, two worker and two API processes) against the bare
 * two-activity skeleton on the same PostgreSQL-backed server, in one run. Alerts go through both APIs in turn.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type as osType } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../api/auth/apiKeys';
import { ensureDevPayloadKeys, loadConfiguredKeyring } from '../infra/crypto/payloadKeys';
import { TenantPayloadCodec } from '../infra/crypto/tenantPayloadCodec';
import { freePort } from '../infra/freePort';
import { startLocalPostgres } from '../infra/postgres/localPostgres';
import { startClusterServer } from '../infra/temporal/clusterServer';
import { prepareNamespace } from '../infra/temporal/prepareNamespace';
import { loadTenantDirectory } from '../infra/files/tenantFiles';
import { startEngineProcess, type EngineProcess } from '../test/support/engineProcess';
import { skeletonWorkflow } from './skeletonWorkflow';
import { percentile, runBounded, type RunResult } from './boundedRun';
import { engineDataConverter } from '../infra/temporal/dataConverter';

const REPO = resolve(__dirname, '..');
const N = Number(process.env.BENCH_ALERTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const NAMESPACE = 'soar-cluster-bench';
const INGEST_KEY = `bench_ingest_${randomUUID()}`;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeTls } = require('../scripts/tls.cjs') as { makeTls: (dir: string, options: Record<string, unknown>) => void };


async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const work = mkdtempSync(join(tmpdir(), 'soar-cluster-bench-'));
  const tlsDir = join(work, 'tls');
  makeTls(tlsDir, { names: ['temporal', 'localhost', '127.0.0.1'], server: 'temporal', serverKey: 'temporal-key', client: 'engine', clientKey: 'engine-key' });
  const tls = (name: string) => join(tlsDir, name);
  const postgres = await startLocalPostgres(log);
  const processes: EngineProcess[] = [];
  try {
    const cluster = await startClusterServer({
      toolsDir: join(REPO, '.tools'),
      postgres: { host: '127.0.0.1', port: postgres.port, user: 'soar' },
      tls: { certFile: tls('temporal.pem'), keyFile: tls('temporal-key.pem'), caFile: tls('ca.pem'), clientCertFile: tls('engine.pem'), clientKeyFile: tls('engine-key.pem'), serverName: 'temporal' },
      log,
    });
    const keysFile = join(work, 'api-keys.yaml');
    writeFileSync(keysFile, `keys:\n  - { id: bench-ingest, role: ingest, tenantId: nordwind-handel, sha256: "${sha256Hex(INGEST_KEY)}" }\n`);
    const payloadKeysFile = join(work, 'payload-keys.yaml');
    const tenantIds = loadTenantDirectory(join(REPO, 'config/tenants')).all().map((t) => t.id);
    ensureDevPayloadKeys(payloadKeysFile, tenantIds);
    const locationsFile = join(work, 'endpoint-locations.yaml');
    writeFileSync(locationsFile, 'endpoints:\n  temporal: { host: 127.0.0.1 (this machine), country: DE }\n  database: { host: 127.0.0.1 (this machine), country: DE }\n');
    const env = {
      NODE_ENV: 'production',
      SOAR_ENDPOINT_LOCATIONS_FILE: locationsFile,
      MUELLER_GRAPH_CLIENT_SECRET: 'bench-not-a-secret',
      RHEINWERK_GRAPH_CLIENT_SECRET: 'bench-not-a-secret',
      SOAR_GRAPH_BASE_URL: 'https://127.0.0.1:9/',
      SOAR_ENTRA_AUTHORITY_HOST: 'https://127.0.0.1:9',
      SOAR_DEFENDER_BASE_URL: 'https://127.0.0.1:9',
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: 'cluster-bench',
      TEMPORAL_TLS_CA_FILE: tls('ca.pem'),
      TEMPORAL_TLS_CERT_FILE: tls('engine.pem'),
      TEMPORAL_TLS_KEY_FILE: tls('engine-key.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
      SOAR_DATABASE_URL: await postgres.createDatabase('soar'),
      SOAR_API_KEYS_FILE: keysFile,
      SOAR_PAYLOAD_KEYS_FILE: payloadKeysFile,
      // The pipeline is measured, not the rate limits.
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      API_INTAKE_MAX_IN_FLIGHT: '10000',
    };
    for (const _ of [1, 2]) {
      processes.push(await startEngineProcess({ entry: 'engine/workerProcess.ts', readyWhen: '"worker running"', env: { ...env, SOAR_DATA_DIR: mkdtempSync(join(work, 'worker-')) }, readyTimeoutMs: 300_000 }));
    }
    const apiUrls: string[] = [];
    for (const _ of [1, 2]) {
      const api = await startEngineProcess({ entry: 'engine/apiProcess.ts', readyWhen: '"API listening"', env: { ...env, SOAR_DATA_DIR: mkdtempSync(join(work, 'api-')), API_PORT: String(await freePort()) } });
      processes.push(api);
      apiUrls.push(/"url":"(http:\/\/[^"]+)"/.exec(api.output())?.[1] ?? '');
    }

    const connection = await Connection.connect(cluster.connectionOptions());
    await prepareNamespace({ connection, namespace: NAMESPACE, retentionDays: 1 });
    // Both pay the codec, as in production: the bench reads the alerts' results with the engine's keys.
    const dataConverter = engineDataConverter(new TenantPayloadCodec(loadConfiguredKeyring({ keysFile: payloadKeysFile }, tenantIds)));
    const client = new Client({ connection, namespace: NAMESPACE, dataConverter });
    const taskQueue = `skeleton-${randomUUID()}`;
    const native = await NativeConnection.connect(cluster.connectionOptions());
    const worker = await Worker.create({
      connection: native,
      namespace: NAMESPACE,
      taskQueue,
      activities: { noopAnalyse: async ({ externalId }: { externalId: string }) => externalId, noopPublish: async () => new Date().toISOString() },
      workflowsPath: require.resolve('./skeletonWorkflow'),
      dataConverter,
    });
    const running = worker.run();

    log('Warming up...');
    await runBounded(20, 10, async (i) => {
      await client.workflow.execute(skeletonWorkflow, { taskQueue, workflowId: `warm-${taskQueue}-${i}`, args: [{ externalId: String(i) }] });
      return 0;
    });
    log(`Baseline: ${N} skeleton workflows (2 activities each), ${CONCURRENCY} in flight, on the PostgreSQL-backed server...`);
    const baseline = await runBounded(N, CONCURRENCY, async (i) => {
      const submitted = Date.now();
      const finished = await client.workflow.execute(skeletonWorkflow, { taskQueue, workflowId: `skeleton-${taskQueue}-${i}`, args: [{ externalId: String(i) }] });
      return Date.parse(finished) - submitted;
    });
    log(`Pipeline: ${N} package-1 alerts through both APIs and both workers...`);
    const pipeline = await runBounded(N, CONCURRENCY, async (i) => {
      const submitted = Date.now();
      const response = await fetch(`${apiUrls[i % 2]}/v1/alerts`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${INGEST_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          tenantId: 'nordwind-handel',
          source: 'edr',
          externalId: `cluster-bench-${taskQueue}-${i}`,
          title: i % 3 === 0 ? 'Suspicious access to LSASS memory' : 'Routine software inventory finished',
          observedAt: new Date().toISOString(),
          vendorSeverity: 'medium',
          entities: { hosts: [{ hostname: `WS-${i}`, ips: [] }] },
        }),
      });
      if (response.status !== 202) throw new Error(`intake answered ${response.status}: ${await response.text()}`);
      const { workflowId } = (await response.json()) as { workflowId: string };
      const status = (await client.workflow.getHandle(workflowId).result()) as { publication?: { publishedAt?: string } };
      return Date.parse(status.publication?.publishedAt ?? '') - submitted;
    });

    worker.shutdown();
    await running;
    await native.close();
    await connection.close();
    await Promise.all(processes.map((p) => p.stop()));
    await cluster.stop();

    const rate = (r: RunResult) => N / r.seconds;
    const cpu = cpus();
    process.stdout.write(
      [
        `Machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${osType()} ${release()}, Node ${process.version}`,
        `Temporal: server 1.29.1 on PostgreSQL (mTLS), 2 engine workers, 2 APIs; ${N} alerts, ${CONCURRENCY} in flight`,
        `baseline (skeleton, 2 no-op activities): ${rate(baseline).toFixed(1)} workflows/s, p50 ${percentile(baseline.latenciesMs, 50)} ms, p99 ${percentile(baseline.latenciesMs, 99)} ms`,
        `pipeline (package 1, both APIs):         ${rate(pipeline).toFixed(1)} alerts/s, ingest-to-published p50 ${percentile(pipeline.latenciesMs, 50)} ms, p99 ${percentile(pipeline.latenciesMs, 99)} ms`,
        `ratio pipeline/baseline throughput:      ${(rate(pipeline) / rate(baseline)).toFixed(2)}`,
      ].join('\n') + '\n',
    );
  } finally {
    await Promise.all(processes.map((p) => p.stop().catch(() => undefined)));
    await postgres.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
