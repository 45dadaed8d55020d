/**
 * The alert worker's workflow threads, without the SDK's per-promise stack traces unless asked for
 * (`SOAR_WORKFLOW_STACK_TRACES`, docs/operations.md).
 *
 * The SDK installs a V8 promise hook in every thread that runs workflows: for every promise a workflow creates it
 * compiles a function to find the workflow, builds an Error, formats its stack through the bundle's source map and keeps
 * it while the promise is pending, only to answer the `__stack_trace` query (the Temporal UI's "Stack Trace" tab for a
 * running workflow). It is never part of a workflow's commands or history. In `npm run bench` it was about a sixth of
 * the workflow thread's work per alert, and every waiting workflow keeps the stacks of its pending promises in memory
 * (docs/performance.md). Off, the worker starts its workflow threads with the hook disabled before the SDK's thread code
 * runs: workflows run as before, source-mapped error stacks stay, and the `__stack_trace` query answers that stack
 * traces are not enabled on this worker. On: the SDK's own threads, unchanged.
 *
 * The SDK offers no option for it; `Worker.createWorkflowCreator` is its documented (protected) extension point, and the
 * thread set-up below uses the SDK's own thread client and creator (@temporalio/worker 1.24, lib/workflow/threaded-vm,
 * vm-shared). test/workers/workflowStackTraces.test.ts fails if an SDK upgrade changes them.
 */
import { Worker, type CompiledWorkerOptions } from '@temporalio/worker';
import type { Logger } from '@temporalio/common';
import { Worker as NodeThread } from 'node:worker_threads';
import { ThreadedVMWorkflowCreator, WorkerThreadClient } from '@temporalio/worker/lib/workflow/threaded-vm';
import type { WorkflowCreator } from '@temporalio/worker/lib/workflow/interface';
import type { WorkflowBundleWithSourceMapAndFilename } from '@temporalio/worker/lib/workflow/workflow-worker-thread/input';

const SDK_GLOBAL_HANDLERS = require.resolve('@temporalio/worker/lib/workflow/vm-shared');
const SDK_WORKFLOW_THREAD = require.resolve('@temporalio/worker/lib/workflow/workflow-worker-thread');

/** The code a workflow thread starts with: the hook's installer made a no-op, then the SDK's own thread. */
export const UNTRACKED_THREAD_SOURCE = [
  `require(${JSON.stringify(SDK_GLOBAL_HANDLERS)}).globalHandlers.setPromiseHook = function setPromiseHook() {};`,
  `require(${JSON.stringify(SDK_WORKFLOW_THREAD)});`,
].join('\n');

/** A Worker whose workflow threads keep no stack per workflow promise; everything else is the SDK's Worker. */
export class UntrackedStacksWorker extends Worker {
  protected static override async createWorkflowCreator(
    workflowBundle: WorkflowBundleWithSourceMapAndFilename,
    compiledOptions: CompiledWorkerOptions,
    logger: Logger,
  ): Promise<WorkflowCreator> {
    // Debug mode runs workflows in this thread (no thread of our own to set up): the SDK's behaviour, unchanged.
    if (compiledOptions.debugMode) return super.createWorkflowCreator(workflowBundle, compiledOptions, logger);
    const { patchActivationCallback } = compiledOptions;
    const threads = Array.from(
      { length: compiledOptions.workflowThreadPoolSize },
      () => new WorkerThreadClient(new NodeThread(UNTRACKED_THREAD_SOURCE, { eval: true }), logger, patchActivationCallback),
    );
    await Promise.all(
      threads.map((thread) =>
        thread.send({
          type: 'init',
          workflowBundle,
          isolateExecutionTimeoutMs: compiledOptions.isolateExecutionTimeoutMs,
          reuseV8Context: compiledOptions.reuseV8Context ?? true,
          registeredActivityNames: new Set(compiledOptions.activities.keys()),
          hasPatchActivationCallback: patchActivationCallback !== undefined,
        }),
      ),
    );
    return new ThreadedVMWorkflowCreator(threads);
  }
}

/** The Worker class for the alert worker: the SDK's own with stack traces on, the lean threads otherwise. */
export function workerWithStackTraces(stackTraces: boolean): typeof Worker {
  return stackTraces ? Worker : UntrackedStacksWorker;
}
