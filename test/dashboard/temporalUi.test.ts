/**
 * R18 The Temporal UI behind the dashboard's login: only an auditor's or admin's session reaches it and its codec;
 * a customer's session, or none, never does. The real UI (the Temporal CLI's) runs with the engine's public path.
 */
import request from 'supertest';
import { join } from 'node:path';
import type { Express } from 'express';
import { resolveTemporalCli } from '../../infra/temporal/cliBinary';
import { startDevServer, type RunningDevServer } from '../../infra/temporal/devServer';
import { freePort } from '../../infra/freePort';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';

let ui: RunningDevServer;
let engine: TestEngine;
const UI_PATH = '/dashboard/temporal-ui';

beforeAll(async () => {
  const cli = await resolveTemporalCli({ toolsDir: join(REPO, '.tools'), searchPath: process.env.PATH, log: () => undefined });
  const uiPort = await freePort();
  ui = await startDevServer({ cliPath: cli.path, namespace: 'ui-test', port: await freePort(), uiPort, uiPublicPath: UI_PATH, uiCodecEndpoint: `${UI_PATH}/codec`, log: () => undefined });
  engine = await startTestEngine({ temporalUiUrl: `http://127.0.0.1:${uiPort}` });
}, 120_000);
afterAll(async () => {
  await engine?.stop();
  await ui?.stop();
});

/** Logs in through the dashboard's form and returns the session cookie. */
async function sessionOf(app: Express, key: string): Promise<string> {
  const form = await request(app).get('/dashboard/login');
  const loginCookie = /soar_login=[^;]+/.exec(String(form.headers['set-cookie']))?.[0] ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
  const login = await request(app).post('/dashboard/login').set('Cookie', loginCookie).type('form').send({ _csrf: csrf, key });
  expect(login.status).toBe(303);
  const session = /soar_session=[^;]+/.exec(String(login.headers['set-cookie']))?.[0];
  if (!session) throw new Error('no session cookie');
  return session;
}

test('R18 without a session the UI and its codec send to the login page', async () => {
  const response = await request(engine.app).get(`${UI_PATH}/`);
  expect(response.status).toBe(303);
  expect(response.headers['location']).toBe('/dashboard/login');
  // An API key is no way in: the UI's codec takes the dashboard session only (no proxy adds a key, docs/payload-encryption.md).
  const decode = await request(engine.app).post(`${UI_PATH}/codec/decode`).set('Authorization', `Bearer ${engine.key('auditor')}`).set('X-Namespace', 'soar-test').send({ payloads: [] });
  expect(decode.status).toBe(303);
});

test('R17 R18 a customer or analyst session never reaches the UI or its codec', async () => {
  for (const key of [engine.key('customer', 'nordwind-handel'), engine.key('analyst')]) {
    const session = await sessionOf(engine.app, key);
    expect((await request(engine.app).get(`${UI_PATH}/`).set('Cookie', session)).status).toBe(404);
    const decode = await request(engine.app).post(`${UI_PATH}/codec/decode`).set('Cookie', session).set('X-Namespace', 'soar-test').send({ payloads: [] });
    expect(decode.status).toBe(404);
  }
});

test('R18 an auditor session gets the UI, its API and the codec', async () => {
  const session = await sessionOf(engine.app, engine.key('auditor'));
  const page = await request(engine.app).get(`${UI_PATH}/`).set('Cookie', session);
  expect(page.status).toBe(200);
  expect(page.text).toContain(UI_PATH);
  const namespaces = await request(engine.app).get(`${UI_PATH}/api/v1/namespaces`).set('Cookie', session);
  expect(namespaces.status).toBe(200);
  expect(JSON.stringify(namespaces.body)).toContain('ui-test');

  const [encrypted] = await engine.payloadCodec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"upn":"j.becker@nordwind-handel.example"}') }]);
  const payload = { metadata: Object.fromEntries(Object.entries(encrypted?.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])), data: Buffer.from(encrypted?.data ?? []).toString('base64') };
  const namespace = 'soar-test';
  const decoded = await request(engine.app).post(`${UI_PATH}/codec/decode`).set('Cookie', session).set('X-Namespace', namespace).send({ payloads: [payload] });
  expect(decoded.status).toBe(200);
  expect(Buffer.from(decoded.body.payloads[0].data, 'base64').toString()).toBe('{"upn":"j.becker@nordwind-handel.example"}');
  const noNamespace = await request(engine.app).post(`${UI_PATH}/codec/decode`).set('Cookie', session).send({ payloads: [payload] });
  expect(noNamespace.status).toBe(400);
}, 60_000);
