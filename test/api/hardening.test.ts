/** The per-request time limit (503 with Retry-After) and answers without stack traces, on a small app of the same middleware. */
import express from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { errorMiddleware, sendError, toHttpError } from '../../api/http/errorMiddleware';
import { failedAuthLimit, requestTimeLimit } from '../../api/http/hardening';
import { UnauthenticatedError } from '../../domain/refusals';
import { openSqliteStores } from '../../stores/sqlite/sqliteStores';

function appWith(limitMs: number, logged: string[]) {
  const app = express();
  app.use(requestTimeLimit(limitMs, sendError));
  app.get('/slow', async (_request, response) => {
    await sleep(limitMs * 3);
    response.json({ late: true });
  });
  app.get('/boom', () => {
    throw new Error('database password=hunter2 at /srv/secret/path.ts:12');
  });
  app.use(errorMiddleware((line) => logged.push(line)));
  return app;
}

test('a request unanswered within the limit gets 503 with Retry-After, and the late answer is dropped without a crash', async () => {
  const logged: string[] = [];
  const app = appWith(100, logged);
  const started = Date.now();
  const response = await request(app).get('/slow');
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBe('5');
  expect(response.body).toEqual({ error: { code: 'request_timeout', message: expect.stringContaining('100 ms') } });
  expect(Date.now() - started).toBeLessThan(290);
  await sleep(400);
  // The handler's late `response.json` fails (headers sent) and reaches the error middleware, which sends nothing more.
  expect(logged).toEqual([]);
});

test('an unexpected error answers 500 with a fixed message: no stack, no error text', async () => {
  const logged: string[] = [];
  const response = await request(appWith(1_000, logged)).get('/boom');
  expect(response.status).toBe(500);
  expect(response.body).toEqual({ error: { code: 'internal_error', message: 'An internal error occurred; it has been logged' } });
  expect(response.text).not.toMatch(/hunter2|secret|\.ts:|\bat /);
  expect(logged).toEqual(['GET /boom failed']);
  expect(toHttpError(new TypeError('x')).status).toBe(500);
});

test('failed authentications are limited per client address: past the limit 429 before any key is checked; good keys do not count', async () => {
  const logged: string[] = [];
  const app = express();
  const stores = openSqliteStores(':memory:');
  app.use(failedAuthLimit(3, stores.rateLimits));
  app.get('/v1/thing', (request, response) => {
    if (request.headers.authorization !== 'Bearer good') throw new UnauthenticatedError('bad key');
    response.json({ ok: true });
  });
  app.use(errorMiddleware((line) => logged.push(line)));
  for (let i = 0; i < 5; i += 1) expect((await request(app).get('/v1/thing').set('Authorization', 'Bearer good')).status).toBe(200);
  for (let i = 0; i < 3; i += 1) expect((await request(app).get('/v1/thing').set('Authorization', `Bearer guess-${i}`)).status).toBe(401);
  const limited = await request(app).get('/v1/thing').set('Authorization', 'Bearer guess-3');
  expect(limited.status).toBe(429);
  expect(limited.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('Too many failed authentications from this address') });
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  await stores.close();
});

test('a burst of good requests from one address is never refused by the failed-authentication limit', async () => {
  const app = express();
  const stores = openSqliteStores(':memory:');
  app.use(failedAuthLimit(3, stores.rateLimits));
  app.get('/v1/thing', async (_request, response) => {
    // Answered only after every request of the burst arrived: all 20 are in flight at once.
    await new Promise((resolve) => setImmediate(resolve));
    response.json({ ok: true });
  });
  const statuses = await Promise.all(Array.from({ length: 20 }, () => request(app).get('/v1/thing').then((r) => r.status)));
  expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
  await stores.close();
});
