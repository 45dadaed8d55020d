/**
 * The engine's API as a phone provider reaches it: its public HTTPS address (a TLS proxy in production), started
 * before the engine (the engine's configuration names it) and answering 503 until the engine runs; and reading an
 * alert through the API with a role's key.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { sampleAlert } from './alerts';
import type { TestEngine } from './testEngine';
import { testTls } from './vendors/testTls';

export interface PublicApi {
  url: string;
  close(): Promise<void>;
}

export async function startPublicApi(engine: () => TestEngine | undefined): Promise<PublicApi> {
  const tls = testTls();
  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const running = engine();
    if (running) running.app(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `https://localhost:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * The running engine, or a failure saying it did not start; an alert's record as the analyst (or `key`) reads it; and
 * a critical incident of `tenantId` submitted through the API (its alert id).
 */
export function engineReader(engine: () => TestEngine | undefined) {
  const running = (): TestEngine => {
    const started = engine();
    if (!started) throw new Error('the engine did not start');
    return started;
  };
  const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
  const read = async (alertId: string, key = running().key('analyst')) => (await request(running().app).get(`/v1/alerts/${alertId}`).set(auth(key))).body as AlertStatus;
  const submitIncident = async (tenantId: string): Promise<string> => {
    const submitted = await request(running().app).post('/v1/alerts').set(auth(running().key('ingest', tenantId))).send(sampleAlert({ tenantId }));
    if (submitted.status !== 202) throw new Error(`the incident was not accepted: ${submitted.status} ${JSON.stringify(submitted.body)}`);
    return submitted.body.alertId as string;
  };
  return { running, read, submitIncident };
}

/** The tenant's terms with service hours now, and each escalation step's timeout as `timeoutOf(step index)` says. */
export function inServiceWithSteps(timeoutOf: (index: number) => number) {
  return (policy: TenantPolicy): TenantPolicy => ({
    ...policy,
    terms: { ...policy.terms, windows: [{ from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() }] },
    escalation: policy.escalation && { ...policy.escalation, steps: policy.escalation.steps.map((s, index) => ({ ...s, timeoutMs: timeoutOf(index) })) },
  });
}

/** Where the API's log lines go in a test that reads them (personal data must not be in them). */
export function logCollector(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
}
