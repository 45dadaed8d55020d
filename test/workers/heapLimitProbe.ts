/**
 * Run as a script by workflowHeapLimit.test.ts, outside jest: jest's own worker takes the words "heap out of memory" on
 * its stderr for its own crash. A worker whose workflow thread has a 64 MiB heap limit runs four workflows holding
 * 24 MiB each; then a worker without the limit takes the same workflows over. Prints what happened as JSON.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { workerWithThreads } from '../../infra/temporal/workflowThreads';
import { memoryHungryWorkflow, release } from '../support/memoryHungryWorkflow';

async function main(address: string, namespace: string): Promise<void> {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  Runtime.install({ logger: { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: keep('warn'), error: keep('error'), log: (level, message) => keep(level)(message) } });
  const taskQueue = `heap-limit-${randomUUID()}`;
  const workflowsPath = require.resolve('../support/memoryHungryWorkflow');
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const limited = await workerWithThreads({ stackTraces: false, heapMiB: 64, tracedWorkflows: false }).create({ connection: nativeConnection, namespace, taskQueue, workflowsPath, maxCachedWorkflows: 10 });
  const stopped = limited.run().then(
    () => 'stopped without an error',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  // Four workflows holding 24 MiB each: more than the thread's 64 MiB old generation.
  const handles = await Promise.all(Array.from({ length: 4 }, (_, i) => client.workflow.start(memoryHungryWorkflow, { taskQueue, workflowId: `${taskQueue}-${i}`, args: [24] })));
  const limitedWorker = { error: await stopped, state: limited.getState() };
  // A worker without the limit takes over: the same workflows run to the end.
  const next = await Worker.create({ connection: nativeConnection, namespace, taskQueue, workflowsPath, maxCachedWorkflows: 10 });
  const results = await next.runUntil(async () => {
    for (const handle of handles) await handle.signal(release);
    return Promise.all(handles.map((handle) => handle.result()));
  });
  await connection.close();
  await nativeConnection.close();
  process.stdout.write(`probe: ${JSON.stringify({ limitedWorker, results, logged: lines.filter((l) => l.startsWith('error')) })}\n`);
}

const [address, namespace] = process.argv.slice(2);
if (!address || !namespace) throw new Error('usage: heapLimitProbe.ts <temporal address> <namespace>');
main(address, namespace).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
