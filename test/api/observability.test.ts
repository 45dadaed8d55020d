/** Request logs without keys or alert bodies, GET /metrics behind a token, security headers, CORS and per-key rate limits. */
import { Writable } from 'node:stream';
import request from 'supertest';
import { alertIdFor } from '../../domain/alertIdentity';
import { createLogger } from '../../infra/logger';
import { sampleAlert } from '../support/alerts';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789abcdef';
const ALLOWED_ORIGIN = 'https://soc-dashboard.example';
let engine: TestEngine;
const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

beforeAll(async () => {
  engine = await startTestEngine({
    logDestination: sink,
    metricsToken: METRICS_TOKEN,
    hardening: { rateLimitPerMinute: 20, corsOrigins: [ALLOWED_ORIGIN] },
  });
});
afterAll(async () => {
  await engine?.stop();
});

const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('structured logs', () => {
  test('a request with an API key and an alert body logs method, route, status, key id and ids, never the key or the body', async () => {
    const key = engine.key('ingest', 'nordwind-handel');
    const secretWords = `confidential-${Date.now()}`;
    const alert = sampleAlert({ title: `Title ${secretWords}`, description: `Body ${secretWords}` });
    const response = await request(engine.app).post('/v1/alerts').set('Authorization', `Bearer ${key}`).send(alert);
    expect(response.status).toBe(202);
    const line = await waitFor(
      async () => logged().find((l) => l.route === '/v1/alerts' && l.method === 'POST' && l.status === 202),
      (l) => l !== undefined,
      'the request log line',
    );
    expect(line).toMatchObject({
      level: 'info',
      message: 'request',
      keyId: 'dev-ingest-nordwind',
      tenantId: 'nordwind-handel',
      alertId: alertIdFor(alert),
      workflowId: alertIdFor(alert),
    });
    expect(typeof line?.durationMs).toBe('number');
    const all = lines.join('\n');
    expect(all).not.toContain(key);
    expect(all).not.toContain(secretWords);
    expect(all).not.toMatch(/authorization/i);
  });

  test('the logger redacts secrets, tokens, authorization headers and bodies passed by mistake', () => {
    const out: string[] = [];
    const logger = createLogger({ destination: { write: (line: string) => out.push(line) } });
    logger.info({ headers: { authorization: 'Bearer abc-secret' }, token: 'tok-secret', vendor: { clientSecret: 'cs-secret' }, body: { title: 'body-secret' }, tenantId: 't1' }, 'x');
    const [line] = out;
    expect(line).toContain('"tenantId":"t1"');
    for (const secret of ['abc-secret', 'tok-secret', 'cs-secret', 'body-secret']) expect(line).not.toContain(secret);
  });
});

describe('GET /metrics', () => {
  test('refuses callers without the metrics token or an admin key', async () => {
    expect((await request(engine.app).get('/metrics')).status).toBe(401);
    expect((await request(engine.app).get('/metrics').set('Authorization', 'Bearer not-a-key-at-all')).status).toBe(401);
    const analyst = await request(engine.app).get('/metrics').set('Authorization', `Bearer ${engine.key('analyst')}`);
    expect(analyst.status).toBe(403);
    expect(analyst.text).not.toContain('soar_');
  });

  test('serves HTTP figures by route and status, alerts received by tenant and severity, and alerts waiting per state', async () => {
    const key = engine.key('ingest', 'mueller-logistik');
    const alert = sampleAlert({ tenantId: 'mueller-logistik', vendorSeverity: 'high' });
    expect((await request(engine.app).post('/v1/alerts').set('Authorization', `Bearer ${key}`).send(alert)).status).toBe(202);
    const scrape = async () => (await request(engine.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).text;
    const text = await waitFor(scrape, (t) => /soar_alerts_waiting\{state="[a-z_]+"\} [1-9]/.test(t), 'a waiting alert counted', 30_000);
    expect(text).toMatch(/soar_http_requests_total\{method="POST",route="\/v1\/alerts",status="202"\} [1-9]/);
    expect(text).toMatch(/soar_http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/v1\/alerts",status="202"\}/);
    expect(text).toMatch(/soar_alerts_received_total\{tenant="mueller-logistik",severity="high"\} 1/);
    expect(text).toContain('soar_api_process_resident_memory_bytes');
    const admin = await request(engine.app).get('/metrics').set('Authorization', `Bearer ${engine.key('admin')}`);
    expect(admin.status).toBe(200);
    expect(admin.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  test('an unknown path is one label value, not one per path', async () => {
    await request(engine.app).get(`/v1/no-such-thing-${Date.now()}`).set('Authorization', `Bearer ${engine.key('admin')}`);
    const text = (await request(engine.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).text;
    expect(text).toMatch(/soar_http_requests_total\{method="GET",route="\(unmatched\)",status="404"\}/);
    expect(text).not.toContain('no-such-thing');
  });
});

describe('a hardened API', () => {
  test('security headers on every answer, and no X-Powered-By', async () => {
    const response = await request(engine.app).get('/healthz');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  test('a documented path called with another method answers 405 with Allow, not 404', async () => {
    const response = await request(engine.app).delete('/v1/alerts').set('Authorization', `Bearer ${engine.key('admin')}`);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, POST');
    expect(response.body.error.code).toBe('method_not_allowed');
    expect((await request(engine.app).delete('/v1/alerts/some-id').set('Authorization', `Bearer ${engine.key('admin')}`)).headers.allow).toBe('GET');
  });

  test('a cursor the API did not issue is refused with 400 at once (found by schemathesis: it was a 500 after retries)', async () => {
    const started = Date.now();
    const response = await request(engine.app).get('/v1/alerts?cursor=id4s0G7vcDvgJgPCP&limit=61').set('Authorization', `Bearer ${engine.key('admin')}`);
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([{ field: 'cursor', message: 'not a cursor this API returned' }]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('R17 a list cursor is sealed for its list: a forged one, an altered one, or one of another tenant\'s list is refused with 400', async () => {
    const admin = { Authorization: `Bearer ${engine.key('admin')}` };
    for (let i = 0; i < 2; i++) {
      const alert = sampleAlert({ tenantId: 'mueller-logistik' });
      expect((await request(engine.app).post('/v1/alerts').set('Authorization', `Bearer ${engine.key('ingest', alert.tenantId)}`).send(alert)).status).toBe(202);
    }
    const first = await waitFor(
      () => request(engine.app).get('/v1/alerts?tenantId=mueller-logistik&limit=1').set(admin),
      (r) => r.status === 200 && typeof r.body.nextCursor === 'string',
      'a second page of mueller-logistik alerts',
    );
    const cursor: string = first.body.nextCursor;
    expect((await request(engine.app).get(`/v1/alerts?tenantId=mueller-logistik&limit=1&cursor=${cursor}`).set(admin)).status).toBe(200);

    // Temporal's own token (JSON) without the seal, the cursor with a byte changed, and the cursor on another tenant's list.
    const unsealed = Buffer.from(JSON.stringify({ LastCloseTime: '2026-11-27T00:00:00Z', LastStartTime: '2026-11-27T00:00:00Z', LastRunID: 'x' })).toString('base64url');
    const bytes = Buffer.from(cursor, 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    for (const query of [`tenantId=mueller-logistik&cursor=${unsealed}`, `tenantId=mueller-logistik&cursor=${bytes.toString('base64url')}`, `tenantId=nordwind-handel&cursor=${cursor}`]) {
      const refused = await request(engine.app).get(`/v1/alerts?limit=1&${query}`).set(admin);
      expect(refused.status).toBe(400);
      expect(refused.body.error.issues).toEqual([{ field: 'cursor', message: 'not a cursor this API returned' }]);
    }
  });

  test('CORS answers the configured origin only', async () => {
    const key = engine.key('auditor');
    const allowed = await request(engine.app).get('/v1/alerts').set('Origin', ALLOWED_ORIGIN).set('Authorization', `Bearer ${key}`);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    const preflight = await request(engine.app).options('/v1/alerts').set('Origin', ALLOWED_ORIGIN).set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');
    const other = await request(engine.app).get('/v1/alerts').set('Origin', 'https://evil.example').set('Authorization', `Bearer ${key}`);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a key past its per-minute limit gets 429 with Retry-After; other keys carry on', async () => {
    const key = engine.key('customer', 'rheinwerk-maschinenbau');
    const statuses: number[] = [];
    let limited: request.Response | undefined;
    for (let i = 0; i < 21; i += 1) {
      const response = await request(engine.app).get('/v1/alerts').set('Authorization', `Bearer ${key}`);
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
    expect(statuses[20]).toBe(429);
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited?.body.error.code).toBe('rate_limited');
    const other = await request(engine.app).get('/v1/alerts').set('Authorization', `Bearer ${engine.key('customer', 'nordwind-handel')}`);
    expect(other.status).toBe(200);
    const text = (await request(engine.app).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).text;
    expect(text).toMatch(/soar_http_rate_limited_total [1-9]/);
  });
});
