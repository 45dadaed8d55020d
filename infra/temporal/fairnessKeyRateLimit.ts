/**
 * The per-fairness-key rate limit of an activity task queue (Temporal's task queue config): with the tenant as fairness
 * key, the server dispatches at most this many of one tenant's tasks per second, across every worker of the queue.
 * The engine marks the limits it sets; when the configuration no longer asks for one it removes only its own, so a limit
 * an operator set with `temporal task-queue config set` stays.
 */
import type { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';

/** Reasons of limits the engine set begin with this. */
export const ENGINE_LIMIT_REASON = 'soar-engine:';

export interface FairnessKeyLimit {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Tasks per second for each fairness key; null: the engine sets no limit (and removes one it set before). */
  perSecond: number | null;
  /** Why, for operators reading `temporal task-queue config get` (prefixed with ENGINE_LIMIT_REASON). */
  reason: string;
}

const ACTIVITY = temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY;

export async function applyFairnessKeyRateLimit({ connection, namespace, taskQueue, perSecond, reason }: FairnessKeyLimit): Promise<void> {
  const service = connection.workflowService;
  if (perSecond === null) {
    const described = await service.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: ACTIVITY, reportConfig: true });
    const current = described.config?.fairnessKeysRateLimitDefault;
    if (!current?.rateLimit || !current.metadata?.reason?.startsWith(ENGINE_LIMIT_REASON)) return;
    await service.updateTaskQueueConfig({ namespace, taskQueue, taskQueueType: ACTIVITY, identity: 'soar-engine', updateFairnessKeyRateLimitDefault: {} });
    return;
  }
  await service.updateTaskQueueConfig({
    namespace,
    taskQueue,
    taskQueueType: ACTIVITY,
    identity: 'soar-engine',
    updateFairnessKeyRateLimitDefault: { rateLimit: { requestsPerSecond: perSecond }, reason: `${ENGINE_LIMIT_REASON} ${reason}` },
  });
}
