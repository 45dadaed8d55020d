/**
 * Backpressure at intake: past the in-flight cap the next intake request answers 429 with Retry-After and starts
 * nothing; with Temporal unreachable intake answers 503 with Retry-After; an alert answered 2xx always exists as a workflow.
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { request as httpRequest, type ClientRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { sampleAlert } from '../support/alerts';
import { startTcpProxy } from '../support/tcpProxy';
import { startTestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

/** An event batch whose body is still arriving: an intake request in progress until `held.end()`. */
function holdBatch(port: number, key: string): { held: ClientRequest; answered: Promise<number> } {
  let held: ClientRequest | undefined;
  const answered = new Promise<number>((resolve, reject) => {
    held = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: '/v1/events?source=opnsense-fw1', headers: { ...auth(key), 'Content-Type': 'application/x-ndjson' } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    held.on('error', reject);
    held.write('{"action":"pass"}\n');
  });
  if (!held) throw new Error('the request was not made');
  return { held, answered };
}

test('one tenant at its own intake cap gets 429 naming it, while another tenant\'s alert still gets in', async () => {
  const engine = await startTestEngine({ hardening: { intakeMaxInFlight: 10, intakeMaxInFlightPerTenant: 1 } });
  const server: Server = engine.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  let held: ClientRequest | undefined;
  try {
    const { port } = server.address() as AddressInfo;
    const muellerKey = engine.key('ingest', 'mueller-logistik');
    let answered: Promise<number>;
    ({ held, answered } = holdBatch(port, muellerKey));
    const emptyBatch = () => request(server).post('/v1/events?source=opnsense-fw1').set(auth(muellerKey)).set('Content-Type', 'application/x-ndjson').send('');
    const refused = await waitFor(emptyBatch, (r) => r.status === 429, 'the held batch to be counted');
    expect(refused.body.error).toMatchObject({ code: 'intake_busy', message: expect.stringContaining('Tenant mueller-logistik has 1 intake requests in progress') });

    const other = sampleAlert({ tenantId: 'nordwind-handel' });
    const accepted = await request(server).post('/v1/alerts').set(auth(engine.key('ingest', 'nordwind-handel'))).send(other);
    expect(accepted.status).toBe(202);
    held.end();
    expect(await answered).toBe(200);
    expect((await emptyBatch()).status).toBe(200);
  } finally {
    held?.destroy();
    await new Promise((resolve) => server.close(resolve));
    await engine.stop();
  }
});

test('with the intake cap reached the next intake answers 429 intake_busy with Retry-After and starts nothing', async () => {
  const engine = await startTestEngine({ hardening: { intakeMaxInFlight: 1 } });
  const server: Server = engine.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  let held: ClientRequest | undefined;
  try {
    const { port } = server.address() as AddressInfo;
    const eventKey = engine.key('ingest', 'mueller-logistik');
    let answered: Promise<number>;
    ({ held, answered } = holdBatch(port, eventKey));
    const emptyBatch = () => request(server).post('/v1/events?source=opnsense-fw1').set(auth(eventKey)).set('Content-Type', 'application/x-ndjson').send('');
    await waitFor(async () => (await emptyBatch()).status, (status) => status === 429, 'the held batch to be counted');

    const alert = sampleAlert();
    const refused = await request(server).post('/v1/alerts').set(auth(engine.key('ingest', alert.tenantId))).send(alert);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body.error.code).toBe('intake_busy');
    const defender = await request(server).post('/v1/alerts/defender').set(auth(engine.key('ingest', 'mueller-logistik'))).send({ value: [] });
    expect(defender.status).toBe(429);

    held?.end();
    expect(await answered).toBe(200);
    // Nothing was started for the refused alert: sent again, it is new.
    const again = await request(server).post('/v1/alerts').set(auth(engine.key('ingest', alert.tenantId))).send(alert);
    expect(again.status).toBe(202);
    expect(again.body.duplicate).toBe(false);
  } finally {
    held?.destroy();
    await new Promise((resolve) => server.close(resolve));
    await engine.stop();
  }
});

test('with Temporal unreachable intake answers 503 with Retry-After; every alert answered 202 exists as a workflow', async () => {
  const { address, namespace } = testTemporal();
  const proxy = await startTcpProxy(address);
  // The client would retry an unreachable Temporal for about 20 s; a start gives up at its deadline (3 s here, 10 s by
  // default) and intake answers 503 engine_unavailable, well inside the request limit (15 s here: past it the answer
  // would be 503 request_timeout). The engine's client lets no retry outlive its close (infra/temporal/clientConnection.ts).
  const engine = await startTestEngine({ clientAddress: proxy.address, startDeadlineMs: 3_000, hardening: { requestTimeoutMs: 15_000 } });
  const direct = await Connection.connect({ address });
  try {
    const client = new Client({ connection: direct, namespace, dataConverter: { payloadCodecs: [engine.payloadCodec] } });
    const submit = async () => {
      const alert = sampleAlert();
      const response = await request(engine.app).post('/v1/alerts').set(auth(engine.key('ingest', alert.tenantId))).send(alert);
      return { status: response.status, retryAfter: response.headers['retry-after'], code: response.body.error?.code, alertId: response.body.alertId as string | undefined };
    };
    const before = [await submit(), await submit()];
    // Some in flight while the connection is cut, then some after.
    const during = Array.from({ length: 4 }, () => submit());
    await proxy.cut();
    const after = await Promise.all(Array.from({ length: 3 }, () => submit()));
    const answers = [...before, ...(await Promise.all(during)), ...after];

    expect(before.map((a) => a.status)).toEqual([202, 202]);
    expect(after.map((a) => [a.status, a.code, a.retryAfter])).toEqual(Array(3).fill([503, 'engine_unavailable', '5']));
    for (const answer of answers) {
      expect([202, 503]).toContain(answer.status);
      if (answer.status === 503) expect(answer.retryAfter).toBe('5');
      if (answer.status === 202) {
        const described = await client.workflow.getHandle(answer.alertId ?? '').describe().catch((error: unknown) => error);
        expect(described).not.toBeInstanceOf(WorkflowNotFoundError);
        expect(described).toMatchObject({ workflowId: answer.alertId });
      }
    }
  } finally {
    await engine.stop();
    await direct.close();
  }
});
