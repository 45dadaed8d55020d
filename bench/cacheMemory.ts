/**
 * Worker memory per cached workflow, against the same trivial workflow in a minimal bundle, in the same run (issue 18).
 * Each variant runs in a child process of its own (a fresh worker, one workflow thread), so one variant's memory never
 * counts against another: `minimal` (the trivial waiting workflow alone in its bundle), `engine` (the same trivial
 * workflow in the engine's bundle, with the tracing interceptors, as production bundles it), `alert` (alert workflows
 * waiting for support hours, analysis and publication faked) and `alert-traced` (the same with SOAR_WORKFLOW_TRACING=on:
 * spans inside the workflow). Workflows are started through the engine's client interceptors, in the mode the variant
 * names (off unless traced, the default). The worker runs its workflows in the process's main thread (`debugMode`: the
 * same reusable V8 context as a workflow thread), so that `gc()` reaches them: the V8 heap used after a full collection
 * before and after `count` workflows are cached is the figure compared (what the cached workflows hold); the process's
 * RSS is shown beside it (it moves with the allocator's free lists and is noisy on a busy machine).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type BundleOptions } from '@temporalio/worker';
import type { AlertActivities } from '../activities';
import { REPLAY_SINKS, tracingClientInterceptors } from '../infra/telemetry/temporalTracing';
import { stopPromiseStackTracking } from '../infra/audit/untrackedPromises';
import { createTracing } from '../infra/telemetry/tracing';
import { alertWorkflowInput } from '../test/support/alertInput';
import { benignAlert } from '../test/support/alerts';
import { REPO } from '../test/support/testEnv';
import { engineBundleOptions } from '../infra/temporal/workflowBundle';
import type { AlertWorkflowInput } from '../workflows/alertWorkflow';

export const CACHE_VARIANTS = ['minimal', 'engine', 'alert', 'alert-traced'] as const;
export type CacheVariant = (typeof CACHE_VARIANTS)[number];

export interface CacheMemory {
  variant: CacheVariant;
  count: number;
  bundleKiB: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
  /** V8 heap used after a full collection, per cached workflow. */
  perWorkflowKiB: number;
  /** Process RSS, per cached workflow. */
  rssPerWorkflowKiB: number;
}

const run = promisify(execFile);
const WARM_UP = 20;
const mib = (bytes: number) => bytes / 1024 / 1024;

/** Runs every variant in its own child process, one after another (never in parallel: they would share the cores and the server). */
export async function measureCacheMemory(address: string, namespace: string, count: number): Promise<CacheMemory[]> {
  const results: CacheMemory[] = [];
  for (const variant of CACHE_VARIANTS) {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, variant, address, namespace, String(count)], {
      cwd: REPO,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 15 * 60 * 1000,
    });
    const last = stdout.trim().split('\n').pop() ?? '';
    results.push(JSON.parse(last) as CacheMemory);
  }
  return results;
}

function bundleOptions(variant: CacheVariant): BundleOptions {
  if (variant === 'minimal') return { workflowsPath: require.resolve('./waitingWorkflow') };
  return engineBundleOptions(require.resolve('./cacheWorkflows'));
}

function waitingAlertInput(): AlertWorkflowInput {
  const week = 7 * 86_400_000;
  const windows = [{ from: new Date(Date.now() + week).toISOString(), to: new Date(Date.now() + 2 * week).toISOString() }];
  return alertWorkflowInput('', benignAlert({ tenantId: 'mueller-logistik', vendorSeverity: 'low' }), (p) => ({ ...p, terms: { ...p.terms, windows } }));
}

const fakeActivities: Pick<AlertActivities, 'analyseAlert' | 'publishAlert' | 'webhookTargets'> = {
  // A package-2 alert asks for its webhook targets in a local activity (workflows/lifecycle/announce.ts): none here.
  webhookTargets: async () => [],
  analyseAlert: async () => ({ matchedRules: [], ruleSetVersion: 'bench' }),
  publishAlert: async () => ({ publishedAt: new Date().toISOString(), dashboard: true, file: 'mueller-logistik/alerts-low.jsonl' }),
};

async function measureOne(variant: CacheVariant, address: string, namespace: string, count: number): Promise<CacheMemory> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with --expose-gc');
  const memory = async () => {
    for (let i = 0; i < 3; i++) gc();
    await new Promise((resolve) => setTimeout(resolve, 500));
    gc();
    const { rss, heapUsed } = process.memoryUsage();
    return { rss: mib(rss), heap: mib(heapUsed) };
  };
  // As the engine's worker by default (SOAR_WORKFLOW_STACK_TRACES=off): no stack kept per workflow promise, for every
  // variant alike; BENCH_STACK_TRACES=on measures with the SDK's hook, as rows before issue 18's fourth round did.
  if (process.env.BENCH_STACK_TRACES !== 'on') stopPromiseStackTracking();
  const { code } = await bundleWorkflowCode({ ...bundleOptions(variant), logger: silent });
  const taskQueue = `bench-cache-${variant}-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: { code },
    // Workflows in this thread, so that gc() collects what they dropped and the heap figure is exact.
    debugMode: true,
    activities: fakeActivities,
    sinks: REPLAY_SINKS,
    maxCachedWorkflows: count + WARM_UP + 10,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace, interceptors: tracingClientInterceptors(createTracing('soar-api', { otlpTracesUrl: null }), variant === 'alert-traced' ? 'on' : 'off') });
  const alertInput = variant === 'alert' || variant === 'alert-traced' ? waitingAlertInput() : null;
  const start = async (n: number) => {
    for (let i = 0; i < n; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, async () => {
          const workflowId = `bench-cache-${variant}-${randomUUID()}`;
          if (alertInput) await client.workflow.start('alertWorkflow', { taskQueue, workflowId, args: [{ ...alertInput, alertId: workflowId }] });
          else await client.workflow.start('waitingWorkflow', { taskQueue, workflowId, args: [] });
        }),
      );
    }
  };
  // The cache holds a workflow from its first task on; an alert is cached from intake to its support-hours timer.
  const cachedAtLeast = async (n: number) => {
    const deadline = Date.now() + 10 * 60_000;
    while (worker.getStatus().numCachedWorkflows < n) {
      if (Date.now() > deadline) throw new Error(`${variant}: only ${worker.getStatus().numCachedWorkflows} of ${n} workflows cached after 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (alertInput) await waitUntilWaiting(client, taskQueue, n);
  };
  await start(WARM_UP);
  await cachedAtLeast(WARM_UP);
  const before = await memory();
  await start(count);
  await cachedAtLeast(WARM_UP + count);
  const after = await memory();
  worker.shutdown();
  await running;
  await connection.close();
  await nativeConnection.close();
  return { variant, count, bundleKiB: Math.round(code.length / 1024), rssBeforeMiB: before.rss, rssAfterMiB: after.rss, heapBeforeMiB: before.heap, heapAfterMiB: after.heap, perWorkflowKiB: ((after.heap - before.heap) * 1024) / count, rssPerWorkflowKiB: ((after.rss - before.rss) * 1024) / count };
}

/** Cached is not yet waiting: an alert workflow is cached while its fake activities run, so also wait for the timer. */
async function waitUntilWaiting(client: Client, taskQueue: string, n: number): Promise<void> {
  const query = `WorkflowType = 'alertWorkflow' AND ExecutionStatus = 'Running' AND AlertState = 'awaiting_support_hours' AND TaskQueue = '${taskQueue}'`;
  const deadline = Date.now() + 10 * 60_000;
  while ((await client.workflow.count(query)).count < n) {
    if (Date.now() > deadline) throw new Error(`fewer than ${n} alerts wait for support hours after 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const noop = () => undefined;
const silent = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

if (require.main === module) {
  const [variant, address, namespace, count] = process.argv.slice(2);
  if (!CACHE_VARIANTS.some((v) => v === variant) || !address || !namespace || !count) throw new Error(`usage: cacheMemory.ts <${CACHE_VARIANTS.join('|')}> <address> <namespace> <count>`);
  measureOne(variant as CacheVariant, address, namespace, Number(count)).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
