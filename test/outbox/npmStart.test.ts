/**
 * `npm start` itself (the embedded set-up, its entry engine/startDev.ts run as the start script runs it): a German
 * tenant's critical incident that nobody acknowledges ends in a German SMS to its management, in the outbox file and on
 * the admin's outbox page (R19); the console shows the start summary and one readable line per event, no JSON.
 * The tenant files are the shipped ones, with mueller-logistik's chain shortened to one step of one minute and its
 * 24/7 option booked, so the test does not depend on the hour it runs at.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parse, stringify } from 'yaml';
import { freePort } from '../../infra/freePort';
import { readOutbox } from '../../infra/outbox/outboxFile';
import { sampleAlert } from '../support/alerts';
import { startEngineProcess, type EngineProcess } from '../support/engineProcess';
import { REPO } from '../support/testEnv';
import { waitFor } from '../support/waitFor';

const START_ENTRY = 'engine/startDev.ts';
let dir: string;
let engine: EngineProcess;

beforeAll(async () => {
  // The test runs what `npm start` runs (tsx with the project's own Node, as npm puts node_modules/.bin first on PATH).
  expect((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start']).toBe(`tsx ${START_ENTRY}`);
  dir = mkdtempSync(join(tmpdir(), 'soar-npm-start-'));
  const tenants = join(dir, 'tenants');
  cpSync(join(REPO, 'config/tenants'), tenants, { recursive: true });
  const file = join(tenants, 'mueller-logistik.yaml');
  const tenant = parse(readFileSync(file, 'utf8')) as { options: Record<string, unknown>; escalation: { steps: unknown[] } };
  tenant.options['twentyFourSeven'] = true;
  tenant.escalation.steps = [{ name: 'SOC on-call', contact: 'soc-oncall-1', channel: 'sms', timeoutMinutes: 1 }];
  writeFileSync(file, stringify(tenant));
  engine = await startEngineProcess({
    entry: START_ENTRY,
    readyWhen: 'Press Ctrl-C to stop.',
    // Nothing of the test run's own engine settings: the embedded defaults, as on a newcomer's machine.
    withoutPrefixes: ['SOAR_', 'TEMPORAL_', 'API_'],
    env: {
      SOAR_DATA_DIR: join(dir, 'data'),
      SOAR_TENANTS_DIR: tenants,
      API_PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
    },
    readyTimeoutMs: 240_000,
  });
}, 300_000);

afterAll(async () => {
  await engine?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A line of the start summary: `  <label>:   <value>`. */
const summary = (label: string) => new RegExp(`^  ${label}:\\s+(\\S+)`, 'm').exec(engine.output())?.[1] ?? '';
/** A printed dev key: `    <role> <tenant or *> <key>`. */
const devKey = (role: string, tenant: string) => new RegExp(`^    ${role}\\s+${tenant.replace('*', '\\*')}\\s+(\\S+)$`, 'm').exec(engine.output())?.[1] ?? '';

test('R19 under npm start a German tenant’s unacknowledged critical incident puts a German SMS to its management in the outbox and on the outbox page', async () => {
  const api = summary('API');
  expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const submitted = await request(api).post('/v1/alerts').set('Authorization', `Bearer ${devKey('ingest', 'mueller-logistik')}`).send(sampleAlert({ tenantId: 'mueller-logistik', title: 'Verdächtiger Zugriff auf LSASS' }));
  expect(submitted.status).toBe(202);
  const alertId = String(submitted.body.alertId);

  const outboxFile = join(dir, 'data', 'outbox.jsonl');
  const management = await waitFor(
    async () => readOutbox(outboxFile, 50).find((e) => e.recipient === '+491715550123' && e.text.includes(alertId)),
    (entry) => entry !== undefined,
    'the management SMS after the one-minute chain',
    180_000,
  );
  expect(management).toMatchObject({ channel: 'sms', language: 'de' });
  expect(management?.text).toMatch(/^Ihr SOC meldet einen kritischen Sicherheitsvorfall: „Verdächtiger Zugriff auf LSASS“.*Bitte rufen Sie das SOC zurück/);
  // The SOC's own page came first, to its on-call number.
  expect(readOutbox(outboxFile, 50).some((e) => e.recipient === '+4928219990101' && e.text.includes(alertId))).toBe(true);

  const admin = request.agent(api);
  const form = await admin.get('/dashboard/login');
  await admin.post('/dashboard/login').type('form').send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '', key: devKey('admin', '*') });
  const page = await admin.get('/dashboard/outbox');
  expect(page.status).toBe(200);
  expect(page.text).toContain('<td>sms</td><td>+491715550123</td><td>de</td><td><pre>Ihr SOC meldet einen kritischen Sicherheitsvorfall');
}, 240_000);

test('the npm start console shows the start summary and one readable line per event, no JSON', () => {
  const output = engine.output();
  expect(output).toContain('SOAR engine running.');
  for (const label of ['API', 'Temporal', 'Outbox', 'Data']) expect(summary(label)).not.toBe('');
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  expect(lines.filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
  const events = lines.filter((line) => /^\[\d{2}:\d{2}:\d{2}\] [A-Z]+: /.test(line));
  // The worker's start, each request and each message in the outbox, as `[time] LEVEL: message name=value …`.
  expect(events.some((line) => /INFO: Worker state changed .*state=RUNNING/.test(line))).toBe(true);
  expect(events.some((line) => /INFO: request .*method=POST route=\/v1\/alerts status=202/.test(line))).toBe(true);
  expect(events.some((line) => /INFO: sms in the outbox language=de$/.test(line))).toBe(true);
  // The workflow bundler's multi-line report is one line too.
  expect(lines.filter((line) => /^\s+(\.\/|modules by|webpack)/.test(line))).toEqual([]);
});
