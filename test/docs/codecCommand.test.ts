/** The Temporal CLI command docs/payload-encryption.md gives auditors, run as written against the engine's codec endpoint. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { resolveTemporalCli } from '../../infra/temporal/cliBinary';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';

const run = promisify(execFile);
let engine: TestEngine;
let server: Server;
let port: number;
beforeAll(async () => {
  engine = await startTestEngine();
  server = engine.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the API listens on no port');
  port = address.port;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await engine?.stop();
});

/** Every payload of a `-o json` history, its encoding and data decoded from base64. */
function payloadsOf(json: string): { encoding: string; data: string }[] {
  const found: { encoding: string; data: string }[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      const { metadata, data } = value as { metadata?: { encoding?: unknown }; data?: unknown };
      if (typeof metadata?.encoding === 'string' && typeof data === 'string') {
        found.push({ encoding: Buffer.from(metadata.encoding, 'base64').toString('utf8'), data: Buffer.from(data, 'base64').toString('utf8') });
      } else Object.values(value).forEach(visit);
    }
  };
  visit(JSON.parse(json));
  return found;
}

/** The documented command's arguments, placeholders filled in and pointed at the test's server and API. */
function documentedCommand(alertId: string, auditorKey: string): string[] {
  const doc = readFileSync(join(REPO, 'docs/payload-encryption.md'), 'utf8');
  const command = /```bash\n(temporal workflow show[\s\S]*?)```/.exec(doc)?.[1]?.replace(/\\\n\s*/g, ' ').trim();
  if (!command) throw new Error('docs/payload-encryption.md: no `temporal workflow show` command');
  const words = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '').slice(1);
  const { namespace } = testTemporal();
  return words.map((word) =>
    word
      .replace('<alertId>', alertId)
      .replace('<auditor key>', auditorKey)
      .replace('http://127.0.0.1:8080', `http://127.0.0.1:${port}`)
      .replace(/^soar$/, namespace),
  );
}

test('R18 the documented `temporal workflow show --codec-endpoint` decodes an alert history for an auditor key', async () => {
  const alert = JSON.parse(readFileSync(join(REPO, 'examples/alert-credential-dumping.json'), 'utf8')) as Record<string, unknown>;
  const fresh = { ...alert, externalId: `codec-doc-${Date.now()}` };
  const accepted = await request(engine.app)
    .post('/v1/alerts')
    .set('Authorization', `Bearer ${engine.key('ingest', String(alert.tenantId))}`)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(fresh));
  expect(accepted.status).toBe(202);
  await waitFor(() => engine.client.workflow.getHandle(accepted.body.alertId).query<{ state: string }>('alertStatus'), (s) => s.state === 'published', 'the alert published');

  const cli = await resolveTemporalCli({ toolsDir: join(REPO, '.tools'), searchPath: process.env.PATH, log: () => undefined });
  const args = [...documentedCommand(accepted.body.alertId, engine.key('auditor')), '--address', testTemporal().address, '-o', 'json'];
  const { stdout } = await run(cli.path, args, { maxBuffer: 64 * 1024 * 1024 });
  // Decoded: the alert's own title is readable, and no payload is left encrypted.
  const decoded = payloadsOf(stdout);
  expect(decoded.some((payload) => payload.data.includes(String(alert.title)))).toBe(true);
  expect(decoded.filter((payload) => payload.encoding === 'binary/encrypted')).toEqual([]);

  // Without the codec the same history shows encrypted payloads only.
  const raw = await run(cli.path, ['workflow', 'show', '-n', testTemporal().namespace, '-w', accepted.body.alertId, '--address', testTemporal().address, '-o', 'json'], { maxBuffer: 64 * 1024 * 1024 });
  const stored = payloadsOf(raw.stdout);
  expect(stored.filter((payload) => payload.encoding === 'binary/encrypted').length).toBeGreaterThan(0);
  expect(stored.filter((payload) => payload.data.includes(String(alert.title)))).toEqual([]);
});
