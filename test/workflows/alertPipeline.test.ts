/** The package-1 path end to end on a real Temporal server: analyse, classify, publish; packages 2 and 3 then go to the analysts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import { ALERT_STATE, SEVERITY } from '../../domain/searchAttributes';
import { benignAlert, sampleAlert } from '../support/alerts';
import { alwaysInService, REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({
    rulesDir: join(REPO, 'test/fixtures/rules'),
    // Service is open for these tests; the calendar's own tests and the lifecycle tests cover the waiting.
    policy: alwaysInService,
  });
});
afterAll(async () => {
  await engine?.stop();
});

async function submit(body: unknown, tenantId = 'nordwind-handel'): Promise<string> {
  const response = await request(engine.app)
    .post('/v1/alerts')
    .set('Authorization', `Bearer ${engine.key('ingest', tenantId)}`)
    .send(body as object);
  expect(response.status).toBe(202);
  return response.body.alertId;
}

const read = (alertId: string, key = engine.key('analyst')) =>
  request(engine.app).get(`/v1/alerts/${alertId}`).set('Authorization', `Bearer ${key}`);

async function finalStatus(alertId: string): Promise<AlertStatus> {
  return engine.client.workflow.getHandle(alertId).result();
}

describe('package 1 (R3): automation only, ends published', () => {
  test('R3 a package-1 alert is analysed by the rules, classified and published, and the workflow ends', async () => {
    const alertId = await submit(sampleAlert());
    const status = await finalStatus(alertId);
    expect(status.state).toBe('published');
    expect(status.timeline.map((t) => t.kind)).toEqual(['received', 'analysed', 'classified', 'published']);
    const description = await engine.client.workflow.getHandle(alertId).describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.typedSearchAttributes.get(ALERT_STATE)).toBe('published');
    expect(description.typedSearchAttributes.get(SEVERITY)).toBe('critical');
  });

  test('R2 the most severe matching rule decides, and who decided is recorded', async () => {
    const status = await finalStatus(await submit(sampleAlert({ vendorSeverity: 'low' })));
    expect(status.severity).toBe('critical');
    expect(status.classification?.decidedBy).toEqual({
      kind: 'rule',
      ruleId: '4a0f3c52-1d5e-4c1e-9f36-0b7a0e3f9d11',
      ruleTitle: 'Test rule - LSASS memory dump by procdump',
    });
    expect(status.classification?.matchedRules.map((r) => r.level)).toEqual(['critical', 'medium']);
    expect(status.timeline.find((t) => t.kind === 'classified')?.actor).toBe('rule:4a0f3c52-1d5e-4c1e-9f36-0b7a0e3f9d11');
  });

  test('R2 without a matching rule the vendor severity is the fallback', async () => {
    const status = await finalStatus(await submit(benignAlert({ vendorSeverity: 'high' })));
    expect(status.severity).toBe('high');
    expect(status.classification?.decidedBy).toEqual({ kind: 'vendor', vendorSeverity: 'high' });
  });

  test('R2 an informational vendor alert becomes low, one of the four severities', async () => {
    const status = await finalStatus(await submit(benignAlert({ vendorSeverity: 'informational' })));
    expect(status.severity).toBe('low');
  });

  test('R2 with neither rule nor vendor severity the alert is classified medium by default', async () => {
    const status = await finalStatus(await submit(benignAlert()));
    expect(status.severity).toBe('medium');
    expect(status.classification?.decidedBy.kind).toBe('default');
  });

  test('R3 publication appends to the tenant file tiered by severity and to the dashboard read model', async () => {
    const critical = await finalStatus(await submit(sampleAlert()));
    const medium = await finalStatus(await submit(benignAlert()));
    const lines = (severity: string) =>
      readFileSync(join(engine.outputDir, 'nordwind-handel', `alerts-${severity}.jsonl`), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { alertId: string; severity: string });
    expect(lines('critical').filter((l) => l.alertId === critical.alertId)).toHaveLength(1);
    expect(lines('medium').filter((l) => l.alertId === medium.alertId)).toHaveLength(1);
    expect(lines('critical').every((l) => l.severity === 'critical')).toBe(true);
    expect(critical.publication?.file).toBe('nordwind-handel/alerts-critical.jsonl');
    expect(await engine.readModel.find(critical.alertId)).toMatchObject({ tenantId: 'nordwind-handel', severity: 'critical', state: 'published' });
    const dashboard = await engine.readModel.listForTenant('nordwind-handel', 1000);
    expect(dashboard.findIndex((r) => r.alertId === critical.alertId)).toBeLessThan(dashboard.findIndex((r) => r.alertId === medium.alertId));
  });

  test('GET /v1/alerts/{id} shows state, severity, who classified it by which rule, and the timeline', async () => {
    const alertId = await submit(sampleAlert());
    await finalStatus(alertId);
    const response = await read(alertId);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      alertId,
      tenantId: 'nordwind-handel',
      state: 'published',
      severity: 'critical',
      classification: { decidedBy: { kind: 'rule', ruleId: '4a0f3c52-1d5e-4c1e-9f36-0b7a0e3f9d11' } },
    });
    const times = response.body.timeline.map((t: { at: string }) => Date.parse(t.at));
    expect(times.every((t: number, i: number) => i === 0 || t >= times[i - 1])).toBe(true);
  });
});

describe('packages 2 and 3: published, then handed to the analysts', () => {
  test.each([
    ['mueller-logistik', 2],
    ['rheinwerk-maschinenbau', 3],
  ])('%s (package %i) is published, then queued for triage', async (tenantId, pkg) => {
    const alertId = await submit(sampleAlert({ tenantId }), tenantId);
    const status = await waitFor(
      async () => (await read(alertId)).body as AlertStatus,
      (s) => s.state === 'awaiting_triage',
      'the alert to be queued for triage',
    );
    expect(status.package).toBe(pkg);
    expect(status.publication?.dashboard).toBe(true);
    const description = await engine.client.workflow.getHandle(alertId).describe();
    expect(description.status.name).toBe('RUNNING');
    await waitFor(
      async () => (await engine.client.workflow.getHandle(alertId).describe()).typedSearchAttributes.get(ALERT_STATE),
      (state) => state === 'awaiting_triage',
      'the AlertState search attribute',
    );
  });
});

describe('reading alerts (R17)', () => {
  test('R17 a customer cannot read another tenant’s alert: it is reported as absent', async () => {
    const alertId = await submit(sampleAlert());
    await finalStatus(alertId);
    expect((await read(alertId, engine.key('customer', 'nordwind-handel'))).status).toBe(200);
    const other = await read(alertId, engine.key('customer', 'mueller-logistik'));
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain('LSASS');
  });

  test('R17 a customer listing another tenant finds it absent (404), and its own list holds only its tenant', async () => {
    await finalStatus(await submit(sampleAlert()));
    const key = engine.key('customer', 'nordwind-handel');
    const absent = await request(engine.app).get('/v1/alerts?tenantId=mueller-logistik').set('Authorization', `Bearer ${key}`);
    expect(absent.status).toBe(404);
    const own = await request(engine.app).get('/v1/alerts?limit=50').set('Authorization', `Bearer ${key}`);
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((i: { tenantId: string }) => i.tenantId === 'nordwind-handel')).toBe(true);
  });

  test('lists newest first, filters by severity and state, and pages with a cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const alertId = await submit(sampleAlert());
      await finalStatus(alertId);
      ids.push(alertId);
    }
    const key = engine.key('analyst');
    const list = (query: string) => request(engine.app).get(`/v1/alerts?${query}`).set('Authorization', `Bearer ${key}`);
    const filtered = await waitFor(
      async () => (await list('tenantId=nordwind-handel&severity=critical&state=published&limit=200')).body,
      (body) => ids.every((id) => body.items.some((i: { alertId: string }) => i.alertId === id)),
      'the new alerts in visibility',
    );
    expect(filtered.items.every((i: { severity: string; state: string }) => i.severity === 'critical' && i.state === 'published')).toBe(true);
    const received = filtered.items.map((i: { receivedAt: string }) => Date.parse(i.receivedAt));
    expect(received.every((t: number, i: number) => i === 0 || t <= received[i - 1])).toBe(true);
    expect(filtered.items.findIndex((i: { alertId: string }) => i.alertId === ids[2])).toBeLessThan(
      filtered.items.findIndex((i: { alertId: string }) => i.alertId === ids[0]),
    );

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const response = await list(`tenantId=nordwind-handel&severity=critical&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...response.body.items.map((i: { alertId: string }) => i.alertId));
      cursor = response.body.nextCursor;
      if (!cursor) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(ids));
  });

  test('refuses an unknown filter value with 400 naming it', async () => {
    const response = await request(engine.app).get('/v1/alerts?severity=urgent').set('Authorization', `Bearer ${engine.key('analyst')}`);
    expect(response.status).toBe(400);
    expect(response.body.error.issues[0].field).toBe('severity');
  });
});
