/** `npm run bench`: alerts/s through the package-1 pipeline against a no-op skeleton on the same server, in one run. */
import { PayloadKeyring, randomKeySet } from '../infra/crypto/payloadKeys';
import { TenantPayloadCodec } from '../infra/crypto/tenantPayloadCodec';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir, totalmem, type as osType, release } from 'node:os';
import { join, resolve } from 'node:path';
import { createActivities } from '../activities';
import { loadDetectionRules } from '../activities/analysis/detectionRules';
import { openSqliteStores } from '../stores/sqlite/sqliteStores';
import { TieredFileOutput } from '../activities/publication/tieredFileOutput';
import { AlertIntake } from '../api/services/alertIntake';
import { normalisedAlertSchema } from '../domain/alert';
import { loadTenantDirectory } from '../domain/tenant/loadTenants';
import { loadOnCallDirectory, policyOf } from '../domain/soc/onCallDirectory';
import { prepareNamespace } from '../infra/temporal/prepareNamespace';
import { freePort } from '../infra/freePort';
import { provideTemporal } from '../infra/temporal/provideTemporal';
import { skeletonWorkflow } from './skeletonWorkflow';

const REPO = resolve(__dirname, '..');
const N = Number(process.env.BENCH_ALERTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const NAMESPACE = 'soar-bench';

interface RunResult {
  seconds: number;
  latenciesMs: number[];
}

async function runBounded(count: number, concurrency: number, one: (i: number) => Promise<number>): Promise<RunResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) latencies.push(await one(next++));
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latenciesMs: latencies };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const temporal = await provideTemporal(
    { address: process.env.TEMPORAL_ADDRESS, namespace: NAMESPACE, cliPath: process.env.TEMPORAL_CLI_PATH, searchPath: process.env.PATH ?? '', port: await freePort(), uiPort: null },
    join(REPO, '.tools'),
    log,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'soar-bench-'));
  const connection = await Connection.connect({ address: temporal.address });
  await prepareNamespace({ connection, namespace: NAMESPACE, retentionDays: 1 });
  const tenants = loadTenantDirectory(join(REPO, 'config/tenants'));
  // Payloads encrypted as in production (random keys for this run): both pipelines pay the codec.
  const payloadCodec = new TenantPayloadCodec(PayloadKeyring.from({ default: randomKeySet(), tenants: Object.fromEntries(tenants.all().map((t) => [t.id, randomKeySet()])) }));
  const dataConverter = { payloadCodecs: [payloadCodec] };
  const client = new Client({ connection, namespace: NAMESPACE, dataConverter });
  const stores = openSqliteStores(join(dataDir, 'read-model.sqlite'));
  const activities = {
    ...createActivities({ detection: loadDetectionRules(join(REPO, 'detection/rules')), readModel: stores.readModel, workOrders: stores.workOrders, fileOutput: new TieredFileOutput(join(dataDir, 'out')), now: () => new Date() }),
    noopAnalyse: async ({ externalId }: { externalId: string }) => externalId,
    noopPublish: async () => new Date().toISOString(),
  };
  const taskQueue = `bench-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const worker = await Worker.create({ connection: nativeConnection, namespace: NAMESPACE, taskQueue, activities, dataConverter, workflowsPath: require.resolve('./workflows') });
  const running = worker.run();
  const onCall = loadOnCallDirectory(join(REPO, 'config/soc/oncall.yaml'));
  const intake = new AlertIntake({ client, taskQueue, tenants, policyFor: async (tenant) => policyOf(tenant, onCall), now: () => new Date() });
  const principal = { keyId: 'bench', role: 'admin' as const, tenantId: null };
  const alert = (i: number) =>
    normalisedAlertSchema.parse({
      tenantId: 'nordwind-handel',
      source: 'edr',
      externalId: `bench-${taskQueue}-${i}`,
      title: i % 3 === 0 ? 'Suspicious access to LSASS memory' : 'Routine software inventory finished',
      observedAt: new Date().toISOString(),
      vendorSeverity: 'medium',
      entities: {
        processes: i % 3 === 0 ? [{ commandLine: 'procdump64.exe -accepteula -ma lsass.exe C:\\l.dmp', imagePath: 'C:\\procdump64.exe' }] : [],
        hosts: [{ hostname: `WS-${i}`, ips: [] }],
      },
    });

  log(`Warming up...`);
  await runBounded(20, 10, async (i) => {
    await client.workflow.execute(skeletonWorkflow, { taskQueue, workflowId: `warm-${taskQueue}-${i}`, args: [{ externalId: String(i) }] });
    return 0;
  });

  log(`Baseline: ${N} skeleton workflows (2 no-op activities each), ${CONCURRENCY} in flight...`);
  const baseline = await runBounded(N, CONCURRENCY, async (i) => {
    const submitted = Date.now();
    const finished = await client.workflow.execute(skeletonWorkflow, { taskQueue, workflowId: `skeleton-${taskQueue}-${i}`, args: [{ externalId: String(i) }] });
    return Date.parse(finished) - submitted;
  });

  log(`Pipeline: ${N} package-1 alerts through intake, rules, classification and publication...`);
  const pipeline = await runBounded(N, CONCURRENCY, async (i) => {
    const submitted = Date.now();
    const [accepted] = await intake.submit(principal, [alert(i)], (_index, field) => field);
    if (!accepted) throw new Error('nothing accepted');
    const status = await client.workflow.getHandle(accepted.workflowId).result();
    return Date.parse(status.publication?.publishedAt ?? '') - submitted;
  });

  worker.shutdown();
  await running;
  await nativeConnection.close();
  await connection.close();
  await stores.close();
  await temporal.stop();

  const rate = (r: RunResult) => N / r.seconds;
  const cpu = cpus();
  const lines = [
    `Machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${osType()} ${release()}, Node ${process.version}`,
    `Temporal: ${temporal.embedded ? 'embedded dev server (SQLite in memory)' : temporal.address}; ${N} alerts, ${CONCURRENCY} in flight`,
    `baseline (skeleton, no-op activities): ${rate(baseline).toFixed(1)} workflows/s, p50 ${percentile(baseline.latenciesMs, 50)} ms, p99 ${percentile(baseline.latenciesMs, 99)} ms`,
    `pipeline (package 1):                 ${rate(pipeline).toFixed(1)} alerts/s, ingest-to-published p50 ${percentile(pipeline.latenciesMs, 50)} ms, p99 ${percentile(pipeline.latenciesMs, 99)} ms`,
    `ratio pipeline/baseline throughput:   ${(rate(pipeline) / rate(baseline)).toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
