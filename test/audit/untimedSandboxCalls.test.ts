/** Replay drops only the debug-mode "no limit" timeout of sandbox calls (a watchdog thread per call); real limits stay. */
import vm from 'node:vm';
import { dropUnlimitedSandboxTimeouts } from '../../infra/audit/untimedSandboxCalls';

beforeAll(() => dropUnlimitedSandboxTimeouts());

test('a call with the SDK debug-mode timeout (2^32-1 ms) runs as without one and returns its value', () => {
  const context = vm.createContext({ n: 20 });
  expect(new vm.Script('let s = 0; for (let i = 0; i < n; i++) s += i; s').runInContext(context, { timeout: 2 ** 32 - 1, displayErrors: true })).toBe(190);
});

test('a shorter timeout (a production worker deadlock check) still stops an endless loop', () => {
  const context = vm.createContext({});
  expect(() => new vm.Script('for (;;) {}').runInContext(context, { timeout: 50 })).toThrow(/timed out/);
});
