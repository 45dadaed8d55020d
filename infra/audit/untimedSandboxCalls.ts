/**
 * Replay without a watchdog thread per call into the workflow sandbox. The SDK's replay workers run in debug mode, in
 * which every call into the sandbox passes node:vm a timeout of 2^32-1 ms (49 days, i.e. no limit in effect); Node
 * starts and joins a watchdog thread for every call that has any timeout, and that was half the time of replaying a
 * golden history (docs/performance.md). This drops timeouts that long, so those calls run exactly as they would with no
 * timeout; shorter ones (a production worker's 5 s deadlock detection in the same process) are left as they are.
 */
import vm from 'node:vm';

/** The debug-mode isolate execution timeout of @temporalio/worker (`4294967295ms`). */
const NO_LIMIT_MS = 2 ** 32 - 1;

let installed = false;

export function dropUnlimitedSandboxTimeouts(): void {
  if (installed) return;
  installed = true;
  const runInContext = vm.Script.prototype.runInContext;
  vm.Script.prototype.runInContext = function (this: vm.Script, context: vm.Context, options?: vm.RunningScriptOptions) {
    if (options?.timeout === undefined || options.timeout < NO_LIMIT_MS) return runInContext.call(this, context, options);
    const { timeout: _unlimited, ...untimed } = options;
    return runInContext.call(this, context, untimed);
  };
}
