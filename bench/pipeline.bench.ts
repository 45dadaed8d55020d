/**
 * `npm run bench`: alerts/s through the package-1 pipeline against bare Temporal on the same server, in one run: a
 * workflow with no activity and skeletons with two no-op activities, regular and local (bundled alone, no
 * interceptors), then the pipeline on the engine's own bundle (tracing interceptors, preloads) as production runs it,
 * started through the engine's client interceptors: with SOAR_WORKFLOW_TRACING off (the default), then on.
 * Each phase also reports the CPU milliseconds per workflow of this process and of the server (bench/cpuMeter.ts).
 * The pipeline runs once more on the path inputs without webhook targets take (package 1 before the lean history).
 */
import { PayloadKeyring, randomKeySet } from '../infra/crypto/payloadKeys';
import { TenantPayloadCodec } from '../infra/crypto/tenantPayloadCodec';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem, type as osType, release } from 'node:os';
import { join, resolve } from 'node:path';
import { createActivities } from '../activities';
import { loadDetectionRules } from '../detection/detectionRules';
import { openSqliteStores } from '../stores/sqlite/sqliteStores';
import { TieredFileOutput } from '../activities/publication/tieredFileOutput';
import { AlertIntake } from '../api/alerts/alertIntake';
import { normalisedAlertSchema } from '../domain/alert';
import { loadTenantDirectory } from '../infra/files/tenantFiles';
import { loadOnCallDirectory } from '../infra/files/onCallFile';
import { policyOf } from '../domain/tenant/tenantPolicyOf';
import { prepareNamespace } from '../infra/temporal/prepareNamespace';
import { freePort } from '../infra/freePort';
import { provideTemporal } from '../infra/temporal/provideTemporal';
import { createTracing } from '../infra/telemetry/tracing';
import { tracingClientInterceptors, tracingWorkerOptions } from '../infra/telemetry/temporalTracing';
import { engineBundleOptions } from '../infra/temporal/workflowBundle';
import { WORKFLOWS_PATH } from '../workers/alertWorker';
import { localSkeletonWorkflow, noActivityWorkflow, skeletonWorkflow } from './skeletonWorkflow';
import { percentile, runBounded, type RunResult } from './boundedRun';
import { cpuPerItem, sampleCpu } from './cpuMeter';
import { DEFAULT_WORKFLOW_THREADS, workerWithThreads } from '../infra/temporal/workflowThreads';
import { engineDataConverter } from '../infra/temporal/dataConverter';
import { CallerSigner } from '../infra/crypto/callerSigner';
import { webhookTargetsOf } from '../domain/webhooks/webhookTargets';

const REPO = resolve(__dirname, '..');
const N = Number(process.env.BENCH_ALERTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const NAMESPACE = 'soar-bench';


async function main(): Promise<void> {
  const loadBefore = loadavg();
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
  const keyring = PayloadKeyring.from({ default: randomKeySet(), tenants: Object.fromEntries(tenants.all().map((t) => [t.id, randomKeySet()])) });
  const payloadCodec = new TenantPayloadCodec(keyring);
  const dataConverter = engineDataConverter(payloadCodec);
  const client = new Client({ connection, namespace: NAMESPACE, dataConverter });
  // The API's client: the trace in the headers and the workflow tracing mode on every start.
  const apiTracing = createTracing('soar-api', { otlpTracesUrl: null });
  const apiClient = (mode: 'on' | 'off') => new Client({ connection, namespace: NAMESPACE, dataConverter, interceptors: tracingClientInterceptors(apiTracing, mode) });
  const stores = openSqliteStores(join(dataDir, 'read-model.sqlite'));
  const activities = createActivities({ detection: loadDetectionRules(join(REPO, 'detection/rules')), readModel: stores.readModel, workOrders: stores.workOrders, fileOutput: new TieredFileOutput(join(dataDir, 'out')), now: () => new Date() });
  const noop = { noopAnalyse: async ({ externalId }: { externalId: string }) => externalId, noopPublish: async () => new Date().toISOString() };
  const taskQueue = `bench-${randomUUID()}`;
  const bareQueue = `${taskQueue}-bare`;
  const leanBareQueue = `${taskQueue}-bare-lean`;
  // The engine's workflow threads as the production worker starts them by default (infra/temporal/workflowThreads.ts).
  const EngineWorker = workerWithThreads(DEFAULT_WORKFLOW_THREADS);
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const quiet = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: log, error: log, log: () => undefined };
  const { code } = await bundleWorkflowCode({ ...engineBundleOptions(WORKFLOWS_PATH), logger: quiet });
  const tracing = createTracing('soar-worker', { otlpTracesUrl: null });
  const workers = [
    // The bare baselines: their own bundle, no interceptors.
    await Worker.create({ connection: nativeConnection, namespace: NAMESPACE, taskQueue: bareQueue, activities: noop, dataConverter, workflowsPath: require.resolve('./workflows') }),
    // The same bare workflows on workflow threads without per-promise stack traces, as the engine's worker runs by default.
    await EngineWorker.create({ connection: nativeConnection, namespace: NAMESPACE, taskQueue: leanBareQueue, activities: noop, dataConverter, workflowsPath: require.resolve('./workflows') }),
    // The engine as the production worker bundles it (tracing with spans going nowhere, as without an OTLP endpoint;
    // SOAR_WORKFLOW_STACK_TRACES=off, the default: no stack per workflow promise).
    await EngineWorker.create({ connection: nativeConnection, namespace: NAMESPACE, taskQueue, activities, dataConverter, workflowBundle: { code }, ...tracingWorkerOptions(tracing, true) }),
  ];
  const running = Promise.all(workers.map((w) => w.run()));
  const onCall = loadOnCallDirectory(join(REPO, 'config/soc/oncall.yaml'));
  const callerKeys = new CallerSigner(keyring).trustedKeys;
  // As composeEngine does: the webhook targets in the input (no SOC webhook here, as in the activities above).
  const webhookTargetsFor = (tenant: Parameters<typeof policyOf>[0]) => webhookTargetsOf(tenant.webhooks, false);
  const intakeOf = (mode: 'on' | 'off', targets = true) =>
    new AlertIntake({ client: apiClient(mode), taskQueue, tenants, policyFor: async (tenant) => policyOf(tenant, onCall), now: () => new Date(), callerKeys, ...(targets ? { webhookTargetsFor } : {}) });
  // `before`: inputs without webhook targets take the package-1 path from before soar-package1-lean-history.
  const intakes = { off: intakeOf('off'), on: intakeOf('on'), before: intakeOf('off', false) };
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

  const submitAlert = (mode: keyof typeof intakes) => async (i: number) => {
    const submitted = Date.now();
    const [accepted] = await intakes[mode].submit(principal, [alert(i)], (_index, field) => field);
    if (!accepted) throw new Error('nothing accepted');
    const status = await client.workflow.getHandle(accepted.workflowId).result();
    return Date.parse(status.publication?.publishedAt ?? '') - submitted;
  };
  const bare = (workflow: typeof skeletonWorkflow, name: string, queue = bareQueue) => async (i: number) => {
    const submitted = Date.now();
    const finished = await client.workflow.execute(workflow, { taskQueue: queue, workflowId: `${name}-${taskQueue}-${i}`, args: [{ externalId: String(i) }] });
    return Date.parse(finished) - submitted;
  };

  log(`Warming up...`);
  await runBounded(20, 10, bare(skeletonWorkflow, 'warm-skeleton'));
  await runBounded(20, 10, bare(noActivityWorkflow, 'warm-bare'));
  await runBounded(20, 10, bare(noActivityWorkflow, 'warm-lean-bare', leanBareQueue));
  await runBounded(20, 10, (i) => submitAlert('off')(N + i));
  await runBounded(20, 10, (i) => submitAlert('on')(2 * N + i));
  await runBounded(20, 10, (i) => submitAlert('before')(4 * N + i));

  const serverPid = temporal.embedded?.pid ?? null;
  const cpuOf = new Map<RunResult, ReturnType<typeof cpuPerItem>>();
  /** One phase, with the CPU it cost this process (client, worker, workflow threads) and the server, per workflow. */
  const measured = async (run: () => Promise<RunResult>): Promise<RunResult> => {
    const before = sampleCpu(serverPid);
    const result = await run();
    cpuOf.set(result, cpuPerItem(before, sampleCpu(serverPid), N));
    return result;
  };

  log(`Bare: ${N} workflows without activities, ${CONCURRENCY} in flight...`);
  const noActivity = await measured(() => runBounded(N, CONCURRENCY, bare(noActivityWorkflow, 'bare')));
  log(`Bare on workflow threads without promise stacks: ${N} workflows without activities, ${CONCURRENCY} in flight...`);
  const leanNoActivity = await measured(() => runBounded(N, CONCURRENCY, bare(noActivityWorkflow, 'lean-bare', leanBareQueue)));
  log(`Skeleton: ${N} workflows with 2 no-op activities each, ${CONCURRENCY} in flight...`);
  const baseline = await measured(() => runBounded(N, CONCURRENCY, bare(skeletonWorkflow, 'skeleton')));
  log(`Local skeleton: ${N} workflows with 2 no-op local activities each, ${CONCURRENCY} in flight...`);
  const localSkeleton = await measured(() => runBounded(N, CONCURRENCY, bare(localSkeletonWorkflow, 'local-skeleton')));

  log(`Pipeline: ${N} package-1 alerts through intake, rules, classification and publication (workflow tracing off)...`);
  const pipeline = await measured(() => runBounded(N, CONCURRENCY, submitAlert('off')));
  log(`Pipeline: ${N} package-1 alerts on the path from before the lean history (no webhook targets in the input), tracing off...`);
  const beforeLean = await measured(() => runBounded(N, CONCURRENCY, (i) => submitAlert('before')(5 * N + i)));
  log(`Pipeline: ${N} package-1 alerts, workflow tracing on...`);
  const tracedPipeline = await measured(() => runBounded(N, CONCURRENCY, (i) => submitAlert('on')(3 * N + i)));

  for (const worker of workers) worker.shutdown();
  await running;
  await nativeConnection.close();
  await connection.close();
  await apiTracing.shutdown();
  await stores.close();
  await temporal.stop();

  const rate = (r: RunResult) => N / r.seconds;
  const p99 = (r: RunResult) => percentile(r.latenciesMs, 99);
  const cpu = (r: RunResult) => {
    const used = cpuOf.get(r);
    return used ? `${used.processMs.toFixed(2)} / ${used.serverMs === null ? '-' : used.serverMs.toFixed(2)}` : '-';
  };
  const row = (name: string, r: RunResult) =>
    `| ${name} | ${rate(r).toFixed(1)} | ${percentile(r.latenciesMs, 50)} / ${p99(r)} | ${(rate(r) / rate(noActivity)).toFixed(2)} | ${(p99(r) / p99(noActivity)).toFixed(2)} | ${cpu(r)} |`;
  const cores = cpus();
  const lines = [
    `Machine: ${cores.length} x ${cores[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${osType()} ${release()}, Node ${process.version}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadavg().map((l) => l.toFixed(2)).join(' ')} after`,
    `Temporal: ${temporal.embedded ? 'embedded dev server (SQLite in memory)' : temporal.address}; ${N} alerts, ${CONCURRENCY} in flight`,
    '| run | per second | p50 / p99 ms | throughput x bare | p99 x bare p99 | CPU ms per workflow: this process / server |',
    '|---|---|---|---|---|---|',
    ...[
      ['bare, no activity', noActivity],
      ['bare, no activity, workflow threads without promise stacks (as the engine worker)', leanNoActivity],
      ['bare skeleton, 2 no-op activities', baseline],
      ['bare skeleton, 2 no-op local activities', localSkeleton],
      ['pipeline (package 1), ingest-to-published, SOAR_WORKFLOW_TRACING=off', pipeline],
      ['the same, on the path from before the lean history (inputs without webhook targets)', beforeLean],
      ['pipeline (package 1), ingest-to-published, SOAR_WORKFLOW_TRACING=on', tracedPipeline],
    ].map(([name, r]) => row(String(name), r as RunResult)),
    `pipeline / skeleton throughput: ${(rate(pipeline) / rate(baseline)).toFixed(2)}; pipeline / bare without promise stacks: throughput ${(rate(pipeline) / rate(leanNoActivity)).toFixed(2)}, p99 ${(p99(pipeline) / p99(leanNoActivity)).toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
