/** R3, R11 reports: alerts by severity, state and source as JSON and CSV, and the printable weekly review of package 3; R17 keeps tenants apart. */
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import { benignAlert } from '../support/alerts';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';
import { alertStatusQuery } from '../../workflows/messages';
import { TenantReports } from '../../api/tenants/tenantReports';
import { TenantCatalog } from '../../domain/tenant/loadTenants';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { join } from 'node:path';

const TENANT = 'rheinwerk-maschinenbau';
let engine: TestEngine;
let template: AlertStatus;

beforeAll(async () => {
  engine = await startTestEngine();
  const accepted = await request(engine.app).post('/v1/alerts').set('Authorization', `Bearer ${engine.key('ingest', 'nordwind-handel')}`).send(benignAlert());
  const handle = engine.client.workflow.getHandle(accepted.body.workflowId);
  template = await waitFor(() => handle.query(alertStatusQuery), (s) => s.classification !== null, 'classification');
  const put = async (n: number, fields: Partial<AlertStatus>, recommendation: string | null = null) => {
    const status: AlertStatus = { ...template, tenantId: TENANT, alertId: `report-${n}`, ...fields };
    await engine.readModel.upsert(status, status.receivedAt);
    if (status.state !== 'published' || recommendation) await engine.readModel.refresh({ ...status, triage: { ...status.triage, recommendation } });
  };
  await put(1, { severity: 'critical', source: 'edr', title: 'Ransomware <script>', receivedAt: '2026-03-02T08:00:00.000Z', state: 'awaiting_triage' }, 'Isolate WS-0231 & reset j.becker');
  await put(2, { severity: 'low', source: 'edr', receivedAt: '2026-03-03T08:00:00.000Z', state: 'closed' });
  await put(3, { severity: 'low', source: 'edr', receivedAt: '2026-03-04T08:00:00.000Z', state: 'closed' });
  await put(4, { severity: 'high', source: 'microsoft365', receivedAt: '2026-03-08T22:30:00.000Z', state: 'closed' }); // 8 March 23:30 in Berlin
  await put(5, { severity: 'high', source: 'microsoft365', receivedAt: '2026-03-08T23:30:00.000Z', state: 'closed' }); // 9 March in Berlin: next week
});
afterAll(async () => {
  await engine?.stop();
});

const get = (path: string, role: string, tenantId?: string) => request(engine.app).get(path).set('Authorization', `Bearer ${engine.key(role, tenantId)}`);

describe('R3 alert reports', () => {
  test('R3 alerts of a period by severity, state and source as JSON', async () => {
    const response = await get(`/v1/tenants/${TENANT}/reports/alerts?from=2026-03-02&to=2026-03-09`, 'customer', TENANT);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      tenantId: TENANT,
      from: '2026-03-01T23:00:00.000Z',
      to: '2026-03-08T23:00:00.000Z',
      total: 4,
      bySeverity: { critical: 1, high: 1, low: 2 },
      byState: { awaiting_triage: 1, closed: 3 },
      bySource: { edr: 3, microsoft365: 1 },
    });
    expect(response.body.groups).toEqual([
      { severity: 'critical', state: 'awaiting_triage', source: 'edr', count: 1 },
      { severity: 'high', state: 'closed', source: 'microsoft365', count: 1 },
      { severity: 'low', state: 'closed', source: 'edr', count: 2 },
    ]);
  });

  test('R3 the same report as a CSV download', async () => {
    const response = await get(`/v1/tenants/${TENANT}/reports/alerts?from=2026-03-02&to=2026-03-09&format=csv`, 'analyst');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toContain(`alerts-${TENANT}-2026-03-02-2026-03-09.csv`);
    expect(response.text).toBe('severity,state,source,count\r\ncritical,awaiting_triage,edr,1\r\nhigh,closed,microsoft365,1\r\nlow,closed,edr,2\r\n');
  });

  test('R17 another tenant\'s customer gets nothing; bad periods are refused', async () => {
    expect((await get(`/v1/tenants/${TENANT}/reports/alerts?from=2026-03-02&to=2026-03-09`, 'customer', 'nordwind-handel')).status).toBe(404);
    expect((await get(`/v1/tenants/${TENANT}/reports/alerts?from=2026-03-09&to=2026-03-02`, 'analyst')).status).toBe(400);
    expect((await get(`/v1/tenants/${TENANT}/reports/alerts?from=2026-3-2&to=2026-03-09`, 'analyst')).status).toBe(400);
  });
});

describe('R11 weekly review report', () => {
  test('R11 a printable page: what happened, what was done, open recommendations, every value escaped', async () => {
    const response = await get(`/v1/tenants/${TENANT}/reports/weekly-review?week=2026-03-02`, 'customer', TENANT);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    // The tenant writes German (its default language): headings, severities and Berlin times with the zone.
    expect(response.text).toContain('<html lang="de">');
    expect(response.text).toContain('<h2>Was geschehen ist</h2>');
    expect(response.text).toContain('<th>kritisch</th><th>hoch</th><th>mittel</th><th>niedrig</th><th>gesamt</th>');
    expect(response.text).toContain('<td>1</td><td>1</td><td>0</td><td>2</td><td>4</td>');
    expect(response.text).toContain('3 Meldung(en) in dieser Woche abgeschlossen.');
    expect(response.text).toContain('<td>02.03.2026, 09:00 MEZ</td><td class="critical">kritisch</td>');
    expect(response.text).toContain('Ransomware &lt;script&gt;');
    expect(response.text).not.toContain('<script>');
    expect(response.text).toContain('Isolate WS-0231 &amp; reset j.becker');
  });

  test('R11 an English tenant reads its weekly review in English', async () => {
    const tenants = loadTenantDirectory(join(REPO, 'config/tenants'))
      .all()
      .map((tenant) => (tenant.id === TENANT ? { ...tenant, language: 'en' as const } : tenant));
    const reports = new TenantReports({ readModel: engine.readModel, workOrders: engine.workOrders, tenants: new TenantCatalog(tenants), now: () => new Date('2026-03-09T08:00:00Z') });
    const page = await reports.weeklyReviewHtml({ keyId: 'dev-analyst', role: 'analyst', tenantId: null }, TENANT, '2026-03-02');
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<h2>What happened</h2>');
    expect(page).toContain('3 alert(s) closed this week.');
    expect(page).toContain('Generated 09/03/2026, 09:00 CET.');
  });

  test('R11 only for tenants that booked it, and only for a Monday', async () => {
    expect((await get('/v1/tenants/nordwind-handel/reports/weekly-review?week=2026-03-02', 'analyst')).status).toBe(409);
    expect((await get(`/v1/tenants/${TENANT}/reports/weekly-review?week=2026-03-03`, 'analyst')).status).toBe(400);
  });
});

describe('R3 billable work orders export', () => {
  test('R3 a tenant\'s work orders as a CSV download, customer text never a spreadsheet formula', async () => {
    const order = await request(engine.app)
      .post('/v1/work-orders')
      .set('Authorization', `Bearer ${engine.key('customer', TENANT)}`)
      .send({ description: '=HYPERLINK("http://evil.example"), please "check" it' });
    expect(order.status).toBe(201);
    const csv = await waitFor(
      () => get(`/v1/work-orders?tenantId=${TENANT}&format=csv`, 'analyst'),
      (r) => r.status === 200 && r.text.includes(order.body.workOrderId),
      'the work order in the export',
    );
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`work-orders-${TENANT}-all.csv`);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('workOrderId,tenantId,alertId,requestedAt,requestedBy,description,reason');
    expect(csv.text).toContain(`${order.body.workOrderId},${TENANT},,${order.body.requestedAt},customer:`);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example""), please ""check"" it"`);
  });
});
