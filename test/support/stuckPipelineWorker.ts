/**
 * A worker process whose alert analysis (alone or in package 1's one step) never finishes (a test kills it
 * mid-activity): it runs the test bundle on SOAR_STUCK_TASK_QUEUE, says `analysing <workflowId>` when the analysis
 * starts and then hangs.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { activityInfo } from '@temporalio/activity';
import { REPLAY_SINKS } from '../../infra/telemetry/temporalTracing';
import { testTemporal } from './testEnv';

function hang(): Promise<never> {
  process.stdout.write(`analysing ${activityInfo().workflowExecution?.workflowId}\n`);
  return new Promise<never>(() => undefined);
}

async function main(): Promise<void> {
  const { address, namespace, bundlePath } = testTemporal();
  const taskQueue = process.env.SOAR_STUCK_TASK_QUEUE;
  if (!taskQueue) throw new Error('SOAR_STUCK_TASK_QUEUE is not set');
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    namespace,
    taskQueue,
    workflowBundle: { codePath: bundlePath },
    sinks: REPLAY_SINKS,
    activities: {
      webhookTargets: async () => [],
      analyseAlert: hang,
      // Package 1 in one step (analysis, classification and publication in one local activity).
      analyseClassifyPublish: hang,
    },
  });
  process.stdout.write('"worker running"\n');
  await worker.run();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
