/**
 * Replay without a stack trace per workflow promise. The SDK installs a V8 promise hook in every thread that runs
 * workflows; for every promise a workflow creates it builds an Error, formats its stack through the bundle's source map
 * and keeps it, only to answer the `__stack_trace` query (a debugging aid for a running workflow, never part of its
 * commands). A replay answers no queries, and that bookkeeping was about a third of a golden history's replay time
 * (docs/performance.md). This stops the hook in the calling thread (the replayer's lanes: replay threads and the thread
 * that replays itself); workflows created afterwards in this thread report stack traces as not enabled. Source-mapped
 * error stacks stay. Production workers run their workflows in threads of their own, which this does not reach.
 *
 * `globalHandlers` is the SDK's per-thread hook holder (@temporalio/worker 1.24, lib/workflow/vm-shared); only its
 * public members are used, and test/audit/untrackedPromises.test.ts fails if the SDK changes them.
 */
import { globalHandlers } from '@temporalio/worker/lib/workflow/vm-shared';

export function stopPromiseStackTracking(): void {
  if (globalHandlers.installed && !globalHandlers.promiseHookInstalled) return;
  globalHandlers.install(); // idempotent: source-mapped stacks and the promise hook, as a replay worker would set them
  const sourceMappedStacks = Error.prepareStackTrace;
  globalHandlers.uninstall(); // stops the hook (and restores the stack formatter, put back next)
  Error.prepareStackTrace = sourceMappedStacks;
  globalHandlers.promiseHookInstalled = false; // workflows created from now on know stack traces are off
  globalHandlers.installed = true; // so the next replay worker does not install the hook again
}
