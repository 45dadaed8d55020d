/**
 * R11 options booked or cancelled with an effective date (R16) through the API on the real dev server: like a package
 * change at the end of a month with five Werktage of notice, refused precisely when too late or not allowed, and read
 * by the intake and the policy for every alert at its time.
 */
import { join } from 'node:path';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { tenantOnFrom } from '../../stores/tenantLedger';
import { decodeHistory } from '../../infra/crypto/historyPayloads';
import request from 'supertest';
import { benignAlert } from '../support/alerts';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';

let engine: TestEngine;
// The clock of change requests; the intake runs on the real clock (after every date below).
let clock = new Date('2026-01-28T10:00:00Z');

beforeAll(async () => {
  engine = await startTestEngine({ accountNow: () => clock });
});
afterAll(async () => {
  await engine?.stop();
});

const auth = (role: string, tenantId?: string) => ({ Authorization: `Bearer ${engine.key(role, tenantId)}` });
const book = (tenantId: string, body: unknown, role = 'admin') => request(engine.app).post(`/v1/tenants/${tenantId}/option-changes`).set(auth(role)).send(body as object);

/** The tenant terms a new alert of the tenant starts with (its workflow input, decoded). */
async function policyOfNextAlert(tenantId: string): Promise<TenantPolicy> {
  const accepted = await request(engine.app).post('/v1/alerts').set(auth('ingest', tenantId)).send(benignAlert({ tenantId, source: 'edr' }));
  expect(accepted.status).toBe(202);
  const history = await decodeHistory(await engine.client.workflow.getHandle(accepted.body.workflowId).fetchHistory(), engine.payloadCodec);
  const [input] = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  return (JSON.parse(Buffer.from(input?.data ?? []).toString('utf8')) as { tenant: TenantPolicy }).tenant;
}

describe('R11 R16 booked options change with an effective date', () => {
  test('R16 R11 booking an option too late for the wanted month end is refused with the earliest date, and nothing is recorded', async () => {
    clock = new Date('2026-01-28T10:00:00Z'); // Wednesday: 29, 30 and Saturday 31 January remain (three Werktage)
    const late = await book('mueller-logistik', { options: { twentyFourSeven: true }, effectiveDate: '2026-02-01' });
    expect(late.status).toBe(422);
    expect(late.body.error.code).toBe('option_change_too_late');
    expect(late.body.error.message).toContain('R16: booking or cancelling an option (R10, R11) takes effect at the end of a month with 5 Werktage');
    expect(late.body.error.issues).toEqual([{ field: 'effectiveDate', message: 'earliest possible: 2026-03-01' }]);
    const listed = await request(engine.app).get('/v1/tenants/mueller-logistik/option-changes').set(auth('analyst'));
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([]);
  });

  test('R16 R11 the notice counts Saturdays as Werktage: cancelling on Monday 26 January still reaches 1 February', async () => {
    clock = new Date('2026-01-26T10:00:00Z'); // Monday: Tuesday 27 to Saturday 31 January are five Werktage
    const saturday = await book('rheinwerk-maschinenbau', { options: { weeklyReview: false }, effectiveDate: '2026-02-01' });
    expect(saturday.status).toBe(201);
    expect(saturday.body.items).toEqual([
      expect.objectContaining({ tenantId: 'rheinwerk-maschinenbau', option: 'weeklyReview', setting: false, effectiveDate: '2026-02-01', effectiveFrom: '2026-01-31T23:00:00.000Z', requestedBy: 'admin:dev-admin' }),
    ]);
    clock = new Date('2026-01-27T10:00:00Z'); // a day later only four remain
    expect((await book('rheinwerk-maschinenbau', { options: { aiIsolation: null }, effectiveDate: '2026-02-01' })).status).toBe(422);
  });

  test('R10 R11 R16 options booked on package 2 are in force from their date: the next alert\'s policy has them without a restart', async () => {
    clock = new Date('2026-01-05T10:00:00Z');
    const before = await policyOfNextAlert('mueller-logistik');
    expect(before).toMatchObject({ package: 2, allSeverities: false, fixedSocContact: null, terms: { twentyFourSeven: false, weekendEmergency: true } });
    const booked = await book('mueller-logistik', {
      options: { allSeverities: true, twentyFourSeven: true, fixedSocContact: { analyst: 'a.schmidt' }, weekendEmergency: false },
      effectiveDate: '2026-02-01',
    });
    expect(booked.status).toBe(201);
    expect(booked.body.items.map((c: { option: string }) => c.option).sort()).toEqual(['allSeverities', 'fixedSocContact', 'twentyFourSeven', 'weekendEmergency']);
    const after = await policyOfNextAlert('mueller-logistik');
    expect(after).toMatchObject({ package: 2, allSeverities: true, fixedSocContact: 'a.schmidt', terms: { package: 2, twentyFourSeven: true, weekendEmergency: false } });

    // Cancelling with a date still to come leaves what is in force now.
    clock = new Date();
    const cancel = await book('mueller-logistik', { options: { twentyFourSeven: false } });
    expect(cancel.status).toBe(201);
    expect(Date.parse(cancel.body.items[0].effectiveFrom)).toBeGreaterThan(Date.now());
    expect((await policyOfNextAlert('mueller-logistik')).terms).toMatchObject({ twentyFourSeven: true });
    const listed = await request(engine.app).get('/v1/tenants/mueller-logistik/option-changes').set(auth('customer', 'mueller-logistik'));
    expect(listed.status).toBe(200);
    expect(listed.body.optionsNow).toMatchObject({ allSeverities: true, twentyFourSeven: true, fixedSocContact: { analyst: 'a.schmidt', weekdaysOnly: true } });
    expect(listed.body.items).toHaveLength(5);
  });

  test('R10 R11 R17 a package 3 option or the weekend line on package 1, a change that changes nothing and a customer\'s request are refused with the field named', async () => {
    clock = new Date('2026-01-05T10:00:00Z');
    const onPackage1 = await book('nordwind-handel', { options: { twentyFourSeven: true } });
    expect(onPackage1.status).toBe(400);
    expect(onPackage1.body.error.issues).toEqual([expect.objectContaining({ field: 'options.twentyFourSeven', message: expect.stringContaining('R11: twentyFourSeven is a package 3 option') })]);
    const nothing = await book('rheinwerk-maschinenbau', { options: { allSeverities: true }, effectiveDate: '2026-03-01' });
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.issues).toEqual([{ field: 'options', message: expect.stringContaining('changes nothing') }]);
    const unknown = await book('rheinwerk-maschinenbau', { options: { firewall: true } });
    expect(unknown.status).toBe(400);
    const empty = await book('rheinwerk-maschinenbau', { options: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues[0].message).toContain('name at least one option');
    const weekendOnPackage1 = await book('nordwind-handel', { options: { weekendEmergency: true } });
    expect(weekendOnPackage1.status).toBe(400);
    expect(weekendOnPackage1.body.error.issues).toEqual([expect.objectContaining({ field: 'options.weekendEmergency', message: expect.stringContaining('R10') })]);
    expect((await request(engine.app).post('/v1/tenants/mueller-logistik/option-changes').set(auth('customer', 'mueller-logistik')).send({ options: { weeklyReview: true } })).status).toBe(403);
    expect((await book('mueller-logistik', { options: { weeklyReview: true } }, 'customer')).status).toBe(404); // another tenant's customer: absent (R17)
    expect((await request(engine.app).get('/v1/tenants/rheinwerk-maschinenbau/option-changes').set(auth('customer', 'mueller-logistik'))).status).toBe(404);
    expect((await request(engine.app).get('/v1/tenants/nordwind-handel/option-changes').set(auth('analyst'))).body.items).toEqual([]);
  });

  test('R11 R16 a later change to package 1 ends the R11 options, even one booked for after it', async () => {
    const file = loadTenantDirectory(join(REPO, 'config/tenants')).require('mueller-logistik');
    const tenant = { ...file, id: 'timeline-tenant' };
    const by = { tenantId: tenant.id, requestedBy: 'admin:dev-admin', requestedAt: '2027-01-04T10:00:00.000Z' };
    await engine.ledger.recordOptionChange({ ...by, effectiveDate: '2027-04-01', effectiveFrom: '2027-03-31T22:00:00.000Z', option: 'weeklyReview', setting: true });
    await engine.ledger.recordPackageChange({ ...by, effectiveDate: '2027-03-01', effectiveFrom: '2027-02-28T23:00:00.000Z', fromPackage: 2, toPackage: 1 });
    const on = tenantOnFrom(engine.ledger);
    expect(await on(tenant, new Date('2027-02-15T12:00:00Z'))).toBe(tenant);
    expect((await on(tenant, new Date('2027-03-15T12:00:00Z'))).package).toBe(1);
    const april = await on(tenant, new Date('2027-04-15T12:00:00Z'));
    expect(april).toMatchObject({ package: 1, options: { weeklyReview: false, weekendEmergency: false, twentyFourSeven: false } });
  });
});
