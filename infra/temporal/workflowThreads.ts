/**
 * The alert worker's workflow threads: no stack per workflow promise unless asked for (`SOAR_WORKFLOW_STACK_TRACES`),
 * and a V8 heap limit that keeps the worker's memory near what its cache needs (`SOAR_WORKFLOW_HEAP_MIB`);
 * docs/operations.md, docs/performance.md.
 *
 * Stack traces. The SDK installs a V8 promise hook in every thread that runs workflows: for every promise a workflow
 * creates it compiles a function to find the workflow, builds an Error, formats its stack through the bundle's source map
 * and keeps it while the promise is pending, only to answer the `__stack_trace` query (the Temporal UI's "Stack Trace"
 * tab for a running workflow). It is never part of a workflow's commands or history. In `npm run bench` it was about a
 * sixth of the workflow thread's work per alert. Off, the worker starts its workflow threads with the hook's installer
 * made a no-op before the SDK's thread code runs: workflows run as before, source-mapped error stacks stay, and the
 * `__stack_trace` query is refused.
 *
 * Heap. Under a stream of alerts V8 grows a thread's heap far ahead of what it holds (its default limit here is about
 * 4 GiB) and frees the native buffers the thread handed on only when it collects: 10,000 waiting alerts with a cache of
 * 2,000 took the worker process to 1.6-1.9 GiB. Each workflow thread now gets an old-generation limit: by default 128
 * MiB plus 192 KiB per cached workflow (1 MiB traced), about one and a half times what a cached alert holds (126 KiB)
 * (docs/performance.md). A thread whose live heap reaches its limit ends with an out-of-memory error: the worker stops
 * and exits, and Temporal hands its workflow tasks to a worker that polls again; nothing is lost, but alerts wait.
 *
 * The SDK offers no option for either; `Worker.createWorkflowCreator` is its documented (protected) extension point, and
 * the thread set-up below uses the SDK's own thread client and creator (@temporalio/worker 1.24, lib/workflow/threaded-vm,
 * vm-shared). test/workers/workflowThreads.test.ts fails if an SDK upgrade changes them.
 */
import { Worker, type CompiledWorkerOptions } from '@temporalio/worker';
import type { Logger } from '@temporalio/common';
import { Worker as NodeThread } from 'node:worker_threads';
import { ThreadedVMWorkflowCreator, WorkerThreadClient } from '@temporalio/worker/lib/workflow/threaded-vm';
import type { WorkflowCreator } from '@temporalio/worker/lib/workflow/interface';
import type { WorkflowBundleWithSourceMapAndFilename } from '@temporalio/worker/lib/workflow/workflow-worker-thread/input';

const SDK_GLOBAL_HANDLERS = require.resolve('@temporalio/worker/lib/workflow/vm-shared');
const SDK_WORKFLOW_THREAD = require.resolve('@temporalio/worker/lib/workflow/workflow-worker-thread');

export interface WorkflowThreadOptions {
  /** The `__stack_trace` query (SOAR_WORKFLOW_STACK_TRACES=on): the SDK's promise hook stays. */
  stackTraces: boolean;
  /** Old-generation limit of each workflow thread's heap, MiB (SOAR_WORKFLOW_HEAP_MIB); null: from the cache size. */
  heapMiB: number | null;
  /** Workflows traced inside the sandbox (SOAR_WORKFLOW_TRACING=on) hold more each: the derived limit allows for it. */
  tracedWorkflows: boolean;
}

/**
 * The young generation of a workflow thread, MiB. V8 gives a thread as much as 192 MiB of it on a large machine, filled
 * before each scavenge; a workflow thread's activations are small and short, and 48 MiB (three 16 MiB semi-spaces,
 * V8's size for smaller heaps) serves them (docs/performance.md).
 */
export const WORKFLOW_YOUNG_GENERATION_MIB = 48;

/** The default heap limit of a workflow thread for a cache of this many workflows, MiB. */
export function workflowHeapMiB(cachedWorkflows: number, tracedWorkflows: boolean): number {
  return 128 + Math.ceil((cachedWorkflows * (tracedWorkflows ? 1024 : 192)) / 1024);
}

/** What the alert worker runs with unless configured: no promise stacks, the heap limit from the cache size. */
export const DEFAULT_WORKFLOW_THREADS: WorkflowThreadOptions = { stackTraces: false, heapMiB: null, tracedWorkflows: false };

/** The heap limit a workflow thread gets: the configured one, or the default for the worker's cache size, MiB. */
export function threadHeapMiB(options: WorkflowThreadOptions, cachedWorkflows: number): number {
  return options.heapMiB ?? workflowHeapMiB(cachedWorkflows, options.tracedWorkflows);
}

/** The code a workflow thread starts with: the SDK's own thread, with or without its promise hook. */
export function workflowThreadSource(stackTraces: boolean): string {
  const thread = `require(${JSON.stringify(SDK_WORKFLOW_THREAD)});`;
  if (stackTraces) return thread;
  return `require(${JSON.stringify(SDK_GLOBAL_HANDLERS)}).globalHandlers.setPromiseHook = function setPromiseHook() {};\n${thread}`;
}

/** The Worker class for the alert worker: the SDK's Worker, its workflow threads started as the options say. */
export function workerWithThreads(options: WorkflowThreadOptions): typeof Worker {
  return class EngineWorker extends Worker {
    protected static override async createWorkflowCreator(
      workflowBundle: WorkflowBundleWithSourceMapAndFilename,
      compiledOptions: CompiledWorkerOptions,
      logger: Logger,
    ): Promise<WorkflowCreator> {
      // Debug mode runs workflows in this thread (no thread of our own to set up): the SDK's behaviour, unchanged.
      if (compiledOptions.debugMode) return super.createWorkflowCreator(workflowBundle, compiledOptions, logger);
      const { patchActivationCallback } = compiledOptions;
      const heapMiB = threadHeapMiB(options, compiledOptions.maxCachedWorkflows);
      const source = workflowThreadSource(options.stackTraces);
      const threads = Array.from(
        { length: compiledOptions.workflowThreadPoolSize },
        () => new WorkerThreadClient(new NodeThread(source, { eval: true, resourceLimits: { maxOldGenerationSizeMb: heapMiB, maxYoungGenerationSizeMb: WORKFLOW_YOUNG_GENERATION_MIB } }), logger, patchActivationCallback),
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
  };
}
