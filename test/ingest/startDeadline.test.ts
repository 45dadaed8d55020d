/** A workflow start under the intake's deadline answers by then, even when the client library is still backing off. */
import { Client, Connection, ServiceError } from '@temporalio/client';
import { isEngineUnreachable } from '../../infra/temporal/engineUnreachable';
import { withStartDeadline } from '../../ingest/alertStartOptions';
import { testTemporal } from '../support/testEnv';

let connection: Connection;
let client: Client;
beforeAll(async () => {
  const { address, namespace } = testTemporal();
  connection = await Connection.connect({ address });
  client = new Client({ connection, namespace });
});
afterAll(async () => connection?.close());

test('a start still pending at its deadline fails as unavailable (503), not whenever the client\'s retry pause ends', async () => {
  // The client's retry interceptor pauses up to 5 s between attempts; here the start simply stays pending.
  const outcome = await withStartDeadline(client, () => new Promise<never>(() => undefined), 200).catch((error: unknown) => error);
  expect(outcome).toBeInstanceOf(ServiceError);
  expect(isEngineUnreachable(outcome)).toBe(true);
  expect(String((outcome as Error).message)).toContain('within 200 ms');
});

test('a start that answers in time is returned as it is; a refusal passes through', async () => {
  await expect(withStartDeadline(client, async () => 'started', 1_000)).resolves.toBe('started');
  await expect(withStartDeadline(client, async () => Promise.reject(new Error('already started')), 1_000)).rejects.toThrow('already started');
});
