/**
 * `npm run bench:replay`: histories/s replaying the golden histories (test/fixtures/histories) on the engine's bundle,
 * one replay worker against one per core, and a bare replay of a trivial workflow's history on a minimal bundle the
 * same ways, in the same run. Each bundle is built once and shared by every replay worker.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism, cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { historyFilesAt, readHistoryFile } from '../infra/audit/historyFiles';
import { Replayer, type ReplayInput } from '../infra/audit/replayer';
import { freePort } from '../infra/freePort';
import { engineBundleOptions } from '../infra/temporal/workflowBundle';
import { provideTemporal } from '../infra/temporal/provideTemporal';
import { WORKFLOWS_PATH } from '../workers/alertWorker';
import { noActivityWorkflow } from './skeletonWorkflow';

const REPO = resolve(__dirname, '..');
const HISTORIES = Number(process.env.BENCH_HISTORIES ?? 280);
const NAMESPACE = 'default';
const log = (line: string) => process.stderr.write(`[bench:replay] ${line}\n`);
const quiet = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: log, error: log, log: () => undefined };

/** `count` histories, the given ones over and over. */
function repeated(histories: ReplayInput[], count: number): ReplayInput[] {
  return Array.from({ length: count }, (_, i) => histories[i % histories.length] as ReplayInput);
}

async function timed(replayer: Replayer, inputs: ReplayInput[]): Promise<number> {
  const started = performance.now();
  const outcomes = await replayer.replayAll(inputs);
  const seconds = (performance.now() - started) / 1000;
  const diverged = outcomes.filter((o) => !o.deterministic).length;
  if (outcomes.length !== inputs.length || diverged > 0) throw new Error(`${diverged} of ${outcomes.length} histories diverged (of ${inputs.length})`);
  return inputs.length / seconds;
}

/** A trivial workflow's history, recorded on a dev server of this run. */
async function bareHistory(code: string): Promise<ReplayInput> {
  const temporal = await provideTemporal(
    { address: undefined, namespace: NAMESPACE, cliPath: process.env.TEMPORAL_CLI_PATH, searchPath: process.env.PATH ?? '', port: await freePort(), uiPort: null },
    join(REPO, '.tools'),
    log,
  );
  const connection = await Connection.connect({ address: temporal.address });
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  try {
    const taskQueue = `bench-replay-${randomUUID()}`;
    const worker = await Worker.create({ connection: nativeConnection, namespace: NAMESPACE, taskQueue, workflowBundle: { code } });
    const workflowId = `bare-${taskQueue}`;
    const client = new Client({ connection, namespace: NAMESPACE });
    await worker.runUntil(client.workflow.execute(noActivityWorkflow, { taskQueue, workflowId, args: [{ externalId: 'bare' }] }));
    return { workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() };
  } finally {
    await nativeConnection.close();
    await connection.close();
    await temporal.stop();
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const lanes = availableParallelism();
  log('bundling the engine and the minimal bundle once each...');
  const engine = (await bundleWorkflowCode({ ...engineBundleOptions(WORKFLOWS_PATH), logger: quiet })).code;
  const bare = (await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: quiet })).code;
  const golden = historyFilesAt(join(REPO, 'test/fixtures/histories')).flatMap(readHistoryFile);
  const goldenInputs = repeated(golden, HISTORIES);
  const bareInputs = repeated([await bareHistory(bare)], HISTORIES);

  const rows: [string, number][] = [];
  for (const concurrency of [1, lanes]) {
    log(`${HISTORIES} bare histories, ${concurrency} replay worker(s)...`);
    rows.push([`bare (trivial workflow, minimal bundle), ${concurrency} worker(s)`, await timed(new Replayer({ workflowBundle: { code: bare }, concurrency }), bareInputs)]);
    log(`${HISTORIES} golden histories, ${concurrency} replay worker(s)...`);
    rows.push([`golden histories (engine bundle), ${concurrency} worker(s)`, await timed(new Replayer({ workflowBundle: { code: engine }, concurrency }), goldenInputs)]);
  }
  const bareOne = rows[0]?.[1] ?? NaN;
  const cpu = cpus();
  const lines = [
    `Machine: ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${osType()} ${release()}, Node ${process.version}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadavg().map((l) => l.toFixed(2)).join(' ')} after`,
    `${HISTORIES} histories per run (${golden.length} golden histories repeated); each bundle built once, replay workers created per run`,
    '| run | histories/s | x bare, 1 worker |',
    '|---|---|---|',
    ...rows.map(([name, rate]) => `| ${name} | ${rate.toFixed(1)} | ${(rate / bareOne).toFixed(2)} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
