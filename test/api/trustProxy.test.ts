/** `trust proxy` as a setting (API_TRUST_PROXY): behind a TLS proxy the dashboard's cookies keep `Secure`; no proxy is trusted by default. */
import request from 'supertest';
import { loadConfig } from '../../infra/config';
import { startTestEngine, type TestEngine } from '../support/testEngine';

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({ hardening: { trustProxy: ['loopback'] } });
});
afterAll(async () => {
  await engine?.stop();
});

test('behind a trusted proxy that terminated TLS, the login cookie is Secure; without the proxy header it is not', async () => {
  const proxied = await request(engine.app).get('/dashboard/login').set('X-Forwarded-Proto', 'https');
  expect(proxied.status).toBe(200);
  expect(proxied.headers['set-cookie']?.[0]).toMatch(/; Secure/);
  const direct = await request(engine.app).get('/dashboard/login');
  expect(direct.headers['set-cookie']?.[0]).not.toMatch(/; Secure/);
});

test('API_TRUST_PROXY: none by default, a hop count or a list of proxies; true is refused naming the setting', () => {
  expect(loadConfig({}).api.trustProxy).toBe(false);
  expect(loadConfig({ API_TRUST_PROXY: '1' }).api.trustProxy).toBe(1);
  expect(loadConfig({ API_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).api.trustProxy).toEqual(['loopback', '10.0.0.0/8']);
  expect(() => loadConfig({ API_TRUST_PROXY: 'true' })).toThrow(/API_TRUST_PROXY: true would trust X-Forwarded-For from every client/);
});
