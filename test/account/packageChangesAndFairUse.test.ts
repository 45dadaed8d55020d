/**
 * R16 package changes and R15 fair use through the API on the real dev server: a late request is refused with the
 * earliest date, a change already in effect applies to the next alert without a restart, and a tenant above three
 * times its baseline is flagged.
 */
import request from 'supertest';
import { benignAlert } from '../support/alerts';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';
import { alertStatusQuery } from '../../workflows/messages';

let engine: TestEngine;
// The clock of package change requests; the intake runs on the real clock.
let clock = new Date('2026-01-28T10:00:00Z');

beforeAll(async () => {
  engine = await startTestEngine({ accountNow: () => clock });
});
afterAll(async () => {
  await engine?.stop();
});

const auth = (role: string, tenantId?: string) => ({ Authorization: `Bearer ${engine.key(role, tenantId)}` });

describe('R16 package changes', () => {
  test('R16 a late request is refused with the earliest possible date; without a date the earliest is taken', async () => {
    clock = new Date('2026-01-28T10:00:00Z'); // Wednesday: 29, 30 and Saturday 31 January remain (three Werktage)
    const late = await request(engine.app)
      .post('/v1/tenants/rheinwerk-maschinenbau/package-changes')
      .set(auth('admin'))
      .send({ package: 2, effectiveDate: '2026-02-01' });
    expect(late.status).toBe(422);
    expect(late.body.error.code).toBe('package_change_too_late');
    expect(late.body.error.message).toContain('2026-03-01');
    expect(late.body.error.issues).toEqual([{ field: 'effectiveDate', message: 'earliest possible: 2026-03-01' }]);

    const earliest = await request(engine.app).post('/v1/tenants/rheinwerk-maschinenbau/package-changes').set(auth('admin')).send({ package: 2 });
    expect(earliest.status).toBe(201);
    expect(earliest.body).toMatchObject({ tenantId: 'rheinwerk-maschinenbau', effectiveDate: '2026-03-01', fromPackage: 3, toPackage: 2 });
    expect(earliest.body.effectiveFrom).toBe('2026-02-28T23:00:00.000Z');
  });

  test('R16 R13 a change the tenant file would not allow is refused; customers may not change packages (R17)', async () => {
    const toPackage2 = await request(engine.app).post('/v1/tenants/nordwind-handel/package-changes').set(auth('admin')).send({ package: 2 });
    expect(toPackage2.status).toBe(400);
    expect(toPackage2.body.error.issues[0].field).toBe('package');
    const customer = await request(engine.app).post('/v1/tenants/mueller-logistik/package-changes').set(auth('customer', 'mueller-logistik')).send({ package: 3 });
    expect(customer.status).toBe(403);
    const other = await request(engine.app).get('/v1/tenants/rheinwerk-maschinenbau/package-changes').set(auth('customer', 'mueller-logistik'));
    expect(other.status).toBe(404);
  });

  test('R16 a change whose date has come applies to the next alert without a restart', async () => {
    clock = new Date('2026-01-05T10:00:00Z');
    const send = async () => {
      const alert = benignAlert({ tenantId: 'mueller-logistik', source: 'edr' });
      const accepted = await request(engine.app).post('/v1/alerts').set(auth('ingest', 'mueller-logistik')).send(alert);
      expect(accepted.status).toBe(202);
      return engine.client.workflow.getHandle(accepted.body.workflowId).query(alertStatusQuery);
    };
    expect((await send()).package).toBe(2);
    const change = await request(engine.app).post('/v1/tenants/mueller-logistik/package-changes').set(auth('admin')).send({ package: 3, effectiveDate: '2026-02-01' });
    expect(change.status).toBe(201);
    expect((await send()).package).toBe(3);
    clock = new Date();
    const listed = await request(engine.app).get('/v1/tenants/mueller-logistik/package-changes').set(auth('customer', 'mueller-logistik'));
    expect(listed.status).toBe(200);
    expect(listed.body.packageNow).toBe(3);
    expect(listed.body.items).toEqual([expect.objectContaining({ effectiveDate: '2026-02-01', toPackage: 3 })]);
  });
});

describe('R15 fair use', () => {
  test('R15 a tenant above three times its monthly baseline is flagged for the SOC management', async () => {
    // nordwind-handel's baseline is 10: 31 published incidents in March 2026 are above three times that.
    const alert = benignAlert({ tenantId: 'nordwind-handel' });
    const accepted = await request(engine.app).post('/v1/alerts').set(auth('ingest', 'nordwind-handel')).send(alert);
    const handle = engine.client.workflow.getHandle(accepted.body.workflowId);
    const status = await waitFor(() => handle.query(alertStatusQuery), (s) => s.classification !== null, 'classification');
    const march = (n: number) => ({ ...status, alertId: `${status.alertId}-${n}`, receivedAt: `2026-03-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00.000Z` });
    for (let n = 0; n < 30; n++) await engine.readModel.upsert(march(n), '2026-03-31T10:00:00.000Z');
    await engine.readModel.upsert({ ...status, alertId: `${status.alertId}-april`, receivedAt: '2026-03-31T22:30:00.000Z' }, '2026-04-01T00:00:00.000Z'); // 1 April in Berlin

    const atThree = await request(engine.app).get('/v1/fair-use?month=2026-03').set(auth('analyst'));
    expect(atThree.status).toBe(200);
    expect(atThree.body.items.find((i: { tenantId: string }) => i.tenantId === 'nordwind-handel')).toEqual({
      tenantId: 'nordwind-handel', incidents: 30, baseline: 10, ratio: 3, flagged: false,
    });
    await engine.readModel.upsert(march(30), '2026-03-31T10:00:00.000Z');
    const above = await request(engine.app).get('/v1/fair-use?month=2026-03').set(auth('admin'));
    expect(above.body.items[0]).toEqual({ tenantId: 'nordwind-handel', incidents: 31, baseline: 10, ratio: 3.1, flagged: true });
    expect(above.body.items.filter((i: { flagged: boolean }) => i.flagged)).toHaveLength(1);

    expect((await request(engine.app).get('/v1/fair-use?month=2026-03').set(auth('customer', 'nordwind-handel'))).status).toBe(403);
    expect((await request(engine.app).get('/v1/fair-use?month=2026-3').set(auth('analyst'))).status).toBe(400);
  });
});
