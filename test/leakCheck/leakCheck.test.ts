/**
 * R4 weekly credential-leak check on the real dev server, against a local server speaking Have I Been Pwned's domain
 * search: new findings are e-mailed once, a second run with the same data reports nothing, a 429's Retry-After is
 * honoured, a 401 stops the check with a clear error, and each tenant has its weekly schedule.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { fetchWorkflowTree } from '../../infra/audit/workflowHistories';
import { keyIdsOf } from '../../infra/crypto/historyPayloads';
import { tenantWorkflowId } from '../../infra/crypto/tenantPayloadCodec';
import { ensureLeakCheckSchedules, leakCheckInputOf, leakCheckScheduleId } from '../../infra/temporal/leakCheckSchedule';
import { leakCheckWorkflow, type LeakCheckReport } from '../../workflows/leakCheckWorkflow';
import { writeGoldenIfAsked } from '../audit/goldenFiles';
import { startSmtpTestServer, type RunningSmtpServer } from '../notification/smtpTestServer';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';

const API_KEY = 'hibp-test-key-0123456789abcdef';
const tenants = loadTenantDirectory(join(REPO, 'config/tenants'));

interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
  at: number;
}

/** Per domain, the answers to give in turn (the last one repeats): a status, headers and a body. */
type Answer = { status: number; headers?: Record<string, string>; body?: unknown };
const answers = new Map<string, Answer[]>();
const seen: SeenRequest[] = [];
let hibp: Server;
let smtp: RunningSmtpServer;
let engine: TestEngine;

function answer(response: ServerResponse, { status, headers = {}, body }: Answer): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body === undefined ? '' : JSON.stringify(body));
}

beforeAll(async () => {
  hibp = createServer((req, res) => {
    const url = req.url ?? '';
    seen.push({ path: url, headers: req.headers, at: Date.now() });
    const match = /^\/api\/v3\/breacheddomain\/([^/]+)$/.exec(url);
    if (!match || req.method !== 'GET') return answer(res, { status: 404 });
    if (!req.headers['user-agent']) return answer(res, { status: 403, body: { statusCode: 403, message: 'Missing user agent' } });
    if (req.headers['hibp-api-key'] !== API_KEY) return answer(res, { status: 401, body: { statusCode: 401, message: 'Access denied due to improperly formed hibp-api-key.' } });
    const queue = answers.get(decodeURIComponent(match[1] ?? '')) ?? [{ status: 404 }];
    return answer(res, queue.length > 1 ? (queue.shift() as Answer) : (queue[0] as Answer));
  });
  await new Promise<void>((resolve) => hibp.listen(0, '127.0.0.1', resolve));
  smtp = await startSmtpTestServer({ startTls: false });
  const { port } = hibp.address() as AddressInfo;
  engine = await startTestEngine({ notifications: { smtpPort: smtp.port }, leakCheck: { hibpBaseUrl: `http://127.0.0.1:${port}`, apiKey: API_KEY } });
});

afterAll(async () => {
  await engine?.stop();
  await smtp?.close();
  await new Promise<void>((resolve) => (hibp ? hibp.close(() => resolve()) : resolve()));
});

const run = (tenantId: string, workflowId = `leak-check.${tenantId}.test-${randomUUID()}`): Promise<LeakCheckReport> =>
  engine.client.workflow.execute(leakCheckWorkflow, {
    taskQueue: engine.taskQueue,
    workflowId,
    args: [leakCheckInputOf(tenants.require(tenantId))],
  });

const requestsFor = (domain: string) => seen.filter((s) => s.path === `/api/v3/breacheddomain/${domain}`);

describe('R4 weekly credential-leak check', () => {
  test('R4 new compromised addresses are reported once by e-mail and on the dashboard; a second run reports nothing new', async () => {
    const domain = 'mueller-logistik.example';
    answers.set(domain, [{ status: 200, body: { 's.krause': ['Adobe', 'LinkedIn'], buchhaltung: ['Dropbox'] } }]);
    const firstId = `leak-check.mueller-logistik.test-${randomUUID()}`;
    const first = await run('mueller-logistik', firstId);
    // SOAR_WRITE_GOLDEN=1 keeps this history as a golden (R18): the report's commands must replay on later code.
    await writeGoldenIfAsked('leak-check-new-findings', firstId, await fetchWorkflowTree(engine.client, firstId), engine.payloadCodec);
    expect(first.found).toBe(3);
    expect(first.newFindings.map((f) => `${f.address}:${f.breach}`).sort()).toEqual([
      'buchhaltung@mueller-logistik.example:Dropbox',
      's.krause@mueller-logistik.example:Adobe',
      's.krause@mueller-logistik.example:LinkedIn',
    ]);
    expect(first.notified.sort()).toEqual(['it-sicherheit@mueller-logistik.example', 'm.mueller@mueller-logistik.example', 's.krause@mueller-logistik.example']);
    const mails = smtp.received.filter((m) => m.mail.subject?.includes(domain));
    expect(mails).toHaveLength(3);
    expect(mails[0]?.mail.text).toContain('s.krause@mueller-logistik.example: LinkedIn');
    const call = requestsFor(domain)[0];
    expect(call?.headers['hibp-api-key']).toBe(API_KEY);
    expect(call?.headers['user-agent']).toBe('soar-engine-test');

    const second = await run('mueller-logistik');
    expect(second).toMatchObject({ found: 3, newFindings: [], notified: [] });
    expect(smtp.received.filter((m) => m.mail.subject?.includes(domain))).toHaveLength(3);

    answers.set(domain, [{ status: 200, body: { 's.krause': ['Adobe', 'LinkedIn'], buchhaltung: ['Dropbox'], 'm.mueller': ['Canva'] } }]);
    const third = await run('mueller-logistik');
    expect(third.newFindings.map((f) => f.address)).toEqual(['m.mueller@mueller-logistik.example']);
    expect(smtp.received.filter((m) => m.mail.subject?.includes(domain))).toHaveLength(6);

    const dashboard = await request(engine.app).get('/v1/tenants/mueller-logistik/leak-findings').set('Authorization', `Bearer ${engine.key('customer', 'mueller-logistik')}`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.items).toHaveLength(4);
    const analyst = await request(engine.app).get('/v1/tenants/mueller-logistik/leak-findings').set('Authorization', `Bearer ${engine.key('analyst')}`);
    expect(analyst.body.items).toHaveLength(4);
    const otherCustomer = await request(engine.app).get('/v1/tenants/mueller-logistik/leak-findings').set('Authorization', `Bearer ${engine.key('customer', 'nordwind-handel')}`);
    expect(otherCustomer.status).toBe(404);
  });

  test('R4 a 429 is retried after the Retry-After the provider names', async () => {
    const domain = 'rheinwerk-maschinenbau.example';
    answers.set(domain, [{ status: 429, headers: { 'retry-after': '3' }, body: { statusCode: 429, message: 'Rate limit is exceeded. Try again in 3 seconds.' } }, { status: 404 }]);
    const report = await run('rheinwerk-maschinenbau');
    expect(report).toMatchObject({ found: 0, newFindings: [] });
    const calls = requestsFor(domain);
    expect(calls).toHaveLength(2);
    // The default backoff would retry after 2 s; the provider asked for 3.
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(2_900);
  }, 30_000);

  test('R4 a 401 stops the check at once with a clear, non-retryable error', async () => {
    const domain = 'nordwind-handel.example';
    const badKey = await startTestEngine({ leakCheck: { hibpBaseUrl: `http://127.0.0.1:${(hibp.address() as AddressInfo).port}`, apiKey: 'wrong-key' } });
    try {
      const failure = await badKey.client.workflow
        .execute(leakCheckWorkflow, { taskQueue: badKey.taskQueue, workflowId: `leak-check.nordwind-handel.test-${randomUUID()}`, args: [leakCheckInputOf(tenants.require('nordwind-handel'))] })
        .then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      const cause = (failure as WorkflowFailedError).cause?.cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect(cause).toMatchObject({ type: 'LeakCheckRejected', nonRetryable: true });
      expect((cause as ApplicationFailure).message).toContain('answered 401 for nordwind-handel.example: the API key is not valid');
      expect(requestsFor(domain)).toHaveLength(1);
    } finally {
      await badKey.stop();
    }
  });

  test('R4 every tenant gets one weekly schedule; creating them again changes nothing but the input', async () => {
    const all = tenants.all();
    try {
      await ensureLeakCheckSchedules({ client: engine.client, taskQueue: engine.taskQueue, tenants: all });
      await ensureLeakCheckSchedules({ client: engine.client, taskQueue: engine.taskQueue, tenants: all });
      for (const tenant of all) {
        const description = await engine.client.schedule.getHandle(leakCheckScheduleId(tenant.id)).describe();
        expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'leakCheckWorkflow' });
        expect(description.spec.calendars).toEqual([expect.objectContaining({ dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }], hour: [{ start: 6, end: 6, step: 1 }] })]);
        expect(description.spec.timezone).toBe('Europe/Berlin');
      }
    } finally {
      for (const tenant of all) await engine.client.schedule.getHandle(leakCheckScheduleId(tenant.id)).delete().catch(() => undefined);
    }
  });

  test('R4 R14 a scheduled leak check is encrypted under its tenant key: no breached address in clear in the raw history', async () => {
    const domain = 'nordwind-handel.example';
    answers.set(domain, [{ status: 200, body: { 'k.vogel': ['Adobe'] } }]);
    // Temporal names a scheduled run `<the schedule action's id>-<time>`: the tenant must still be found.
    const workflowId = `${tenantWorkflowId('leak-check', 'nordwind-handel', 'weekly')}-${new Date().toISOString()}-${randomUUID()}`;
    const report = await engine.client.workflow.execute(leakCheckWorkflow, { taskQueue: engine.taskQueue, workflowId, args: [leakCheckInputOf(tenants.require('nordwind-handel'))] });
    expect(report.newFindings.map((f) => f.address)).toEqual([`k.vogel@${domain}`]);
    const history = await engine.client.workflow.getHandle(workflowId).fetchHistory();
    expect(Object.keys(keyIdsOf(history))).toEqual(['nordwind-handel/v1']);
    // The history as Temporal stores it (protobuf bytes): every string in it, payload or not, would show here.
    const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    expect(raw).not.toContain('k.vogel');
    expect(raw).not.toContain(domain);
  });

  test('R4 a redirect from the provider is not followed: the API key never reaches the other host, and the check stops', async () => {
    const elsewhere: IncomingHttpHeaders[] = [];
    const other = createServer((req, res) => {
      elsewhere.push(req.headers);
      answer(res, { status: 200, body: {} });
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const domain = 'nordwind-handel.example';
      const location = `http://127.0.0.1:${(other.address() as AddressInfo).port}/api/v3/breacheddomain/${domain}`;
      answers.set(domain, [{ status: 302, headers: { location } }]);
      const failure = await run('nordwind-handel').then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause?.cause).toMatchObject({ type: 'LeakCheckRejected', nonRetryable: true });
      expect(elsewhere).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});
