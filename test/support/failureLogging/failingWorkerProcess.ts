/**
 * A worker process whose logging is set up exactly as engine/workerProcess.ts sets it up (pino JSON through
 * `configureLogging`, the Temporal Runtime through `installWorkerRuntime`), running the failing workflows on
 * SOAR_FAILING_TASK_QUEUE: the log-redaction test reads what this process prints.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { configureLogging } from '../../../infra/logger';
import { installWorkerRuntime } from '../../../infra/temporal/workerRuntime';
import { testTemporal } from '../testEnv';
import { failingActivities } from './failingActivities';

async function main(): Promise<void> {
  installWorkerRuntime(configureLogging('info', 'json'), null);
  const { address, namespace } = testTemporal();
  const taskQueue = process.env.SOAR_FAILING_TASK_QUEUE;
  if (!taskQueue) throw new Error('SOAR_FAILING_TASK_QUEUE is not set');
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    namespace,
    taskQueue,
    workflowsPath: require.resolve('./failingWorkflows'),
    activities: failingActivities,
  });
  process.stdout.write('"worker running"\n');
  await worker.run();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
