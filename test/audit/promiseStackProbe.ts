/**
 * Run as a script by untrackedPromises.test.ts (outside jest, whose sandbox realm Node's stack formatting does not
 * consult): how many promises of a workflow-like context the SDK's promise hook records a stack for, with the hook as
 * a replay worker installs it, after `stopPromiseStackTracking`, and after a later replay worker's install. The probe is
 * the SDK's contract for the hook: a promise created in a V8 context whose global holds an activator gets its stack
 * recorded in the activator's promise stack store. Prints one JSON line.
 */
import vm from 'node:vm';
import { globalHandlers } from '@temporalio/worker/lib/workflow/vm-shared';
import { stopPromiseStackTracking } from '../../infra/audit/untrackedPromises';

function stacksRecorded(): number {
  const promiseStackStore = { promiseToStack: new Map<unknown, unknown>(), childToParent: new Map<unknown, unknown>() };
  const context = vm.createContext({ __TEMPORAL_ACTIVATOR__: { info: { runId: 'probe' }, promiseStackStore } });
  vm.runInContext('Promise.resolve(1).then((n) => n + 1); new Promise(() => undefined)', context);
  return promiseStackStore.promiseToStack.size;
}

globalHandlers.install();
const sourceMapped = Error.prepareStackTrace;
const installed = stacksRecorded();
stopPromiseStackTracking();
const stopped = stacksRecorded();
const formatterKept = Error.prepareStackTrace === sourceMapped;
globalHandlers.install(); // what every replay worker's workflow creator calls
const reinstalled = stacksRecorded();
process.stdout.write(`${JSON.stringify({ installed, stopped, reinstalled, formatterKept, stackTracesEnabled: globalHandlers.promiseHookInstalled })}\n`);
