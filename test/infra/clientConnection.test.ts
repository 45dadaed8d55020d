/**
 * The engine's client connection: with Temporal unreachable a call gives up at its deadline rather than after a retry
 * pause, and closing while a retry pause runs lets that call end instead of throwing from the SDK's retry timer.
 */
import type { Connection } from '@temporalio/client';
import { isEngineUnreachable } from '../../infra/temporal/engineUnreachable';
import { connectClient, type ClientConnection } from '../../infra/temporal/clientConnection';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy';
import { testTemporal } from '../support/testEnv';

let proxy: TcpProxy;
let client: ClientConnection;
beforeEach(async () => {
  proxy = await startTcpProxy(testTemporal().address);
  client = await connectClient({ address: proxy.address });
  await client.connection.workflowService.getSystemInfo({});
  await proxy.cut();
});
afterEach(async () => client.close());

const systemInfo = (connection: Connection) => connection.workflowService.getSystemInfo({});

test('a call to an unreachable Temporal retries until its deadline and fails as unreachable then, not after a retry pause', async () => {
  // The SDK's pauses from 170 ms rising by 1.7: without the bound the attempt due after 4 s would come at about 5.6 s.
  const deadline = Date.now() + 4_000;
  const outcome = await client.connection.withDeadline(deadline, () => systemInfo(client.connection)).catch((error: unknown) => error);
  expect(isEngineUnreachable(outcome)).toBe(true);
  const late = Date.now() - deadline;
  expect(late).toBeGreaterThanOrEqual(-5);
  expect(late).toBeLessThan(1_000);
});

test('closing while a call waits between retries ends that call as unreachable instead of leaving a retry to throw', async () => {
  // Without a deadline the SDK would retry for about 14 s; the call is pausing between attempts when the close comes.
  let settled = false;
  const pending = systemInfo(client.connection).then(
    () => 'answered',
    (error: unknown) => (isEngineUnreachable(error) ? 'unreachable' : `unexpected: ${String(error)}`),
  );
  void pending.finally(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(settled).toBe(false);
  await client.close();
  expect(await pending).toBe('unreachable');
});
