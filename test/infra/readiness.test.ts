/** The one wait for a Temporal frontend, used by the dev server and the production-like cluster server alike. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../../infra/freePort';
import { exitedBeforeReady } from '../../infra/supervisedChild';
import { waitForTemporal } from '../../infra/temporal/readiness';
import { testTemporal } from '../support/testEnv';

test('answers once the frontend serves the namespace', async () => {
  const { address, namespace } = testTemporal();
  await expect(waitForTemporal({ address, namespace, timeoutMs: 30_000 })).resolves.toBeUndefined();
});

test('names the address, the namespace and the last error when nothing answers in time', async () => {
  const address = `127.0.0.1:${await freePort()}`;
  await expect(waitForTemporal({ address, namespace: 'temporal-system', timeoutMs: 1_500 })).rejects.toThrow(
    new RegExp(`^Temporal at ${address} did not answer for namespace 'temporal-system' within 1500 ms: .+`),
  );
});

test('stops waiting with the exit code when the server process has exited before it was ready', async () => {
  const child = spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' });
  await once(child, 'exit');
  const address = `127.0.0.1:${await freePort()}`;
  await expect(waitForTemporal({ address, namespace: 'default', timeoutMs: 60_000, exited: exitedBeforeReady(child, 'Temporal dev server') })).rejects.toThrow(
    'Temporal dev server exited with code 3 before it was ready',
  );
});
