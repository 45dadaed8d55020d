/** Creates the worker that runs alert workflows and their activities on one task queue. */
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { AlertActivities } from '../activities';

export interface AlertWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: AlertActivities;
  /** A prebuilt bundle (tests bundle once); otherwise the workflows are bundled from source. */
  workflowBundle?: WorkflowBundleOption;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export function createAlertWorker(options: AlertWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, activities, workflowBundle } = options;
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
}
