/**
 * Limits that hold across API processes: two engines share one PostgreSQL database, as two API processes of a
 * deployment do; a key's requests (and a tenant's) are counted together, whichever API answers.
 */
import request from 'supertest';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { testDatabase } from '../support/testEnv';
import { waitFor } from '../support/waitFor';

let first: TestEngine;
let second: TestEngine;

beforeAll(async () => {
  const databaseUrl = await testDatabase('limits');
  const hardening = { rateLimitPerMinute: 6, tenantRateLimitPerMinute: 9 };
  first = await startTestEngine({ databaseUrl, hardening, externalWorker: { taskQueue: 'shared-limits' } });
  second = await startTestEngine({ databaseUrl, hardening, externalWorker: { taskQueue: 'shared-limits' } });
}, 120_000);
afterAll(async () => {
  await first?.stop();
  await second?.stop();
});

/** The limits count in minute windows: start a test early in one, so it never straddles two. */
async function earlyInAMinute(): Promise<void> {
  await waitFor(async () => Date.now() % 60_000, (ms) => ms < 45_000, 'a minute window with 15 s left', 20_000);
}

const get = (engine: TestEngine, key: string) => request(engine.app).get('/v1/playbooks').set('Authorization', `Bearer ${key}`);
const reports = (engine: TestEngine, key: string) => request(engine.app).get('/v1/tenants/nordwind-handel/package-changes').set('Authorization', `Bearer ${key}`);

test("a key's requests are counted across both APIs: the seventh in the minute is refused with Retry-After", async () => {
  await earlyInAMinute();
  const key = first.key('analyst');
  const statuses: number[] = [];
  for (let n = 0; n < 6; n++) statuses.push((await get(n % 2 === 0 ? first : second, key)).status);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  const refused = await get(second, key);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect(refused.body.error.code).toBe('rate_limited');
});

test('R17 a tenant is limited across its keys and both APIs; the SOC keys are not counted with it', async () => {
  await earlyInAMinute();
  const customer = first.key('customer', 'nordwind-handel');
  const ingest = first.key('ingest', 'nordwind-handel');
  const statuses: number[] = [];
  // Six from the customer key (its own limit), then three from the ingest key reach the tenant's nine.
  for (let n = 0; n < 6; n++) statuses.push((await reports(n % 2 === 0 ? first : second, customer)).status);
  for (let n = 0; n < 3; n++) statuses.push((await get(n % 2 === 0 ? second : first, ingest)).status);
  expect(statuses.filter((s) => s === 429)).toEqual([]);
  expect((await get(first, ingest)).status).toBe(429);
  // Another tenant's key and an analyst's are unaffected.
  expect((await get(second, first.key('ingest', 'mueller-logistik'))).status).not.toBe(429);
  expect((await get(second, first.key('admin'))).status).not.toBe(429);
});
