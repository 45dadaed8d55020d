/**
 * One contract for the engine's stores, run against both implementations: SQLite (the embedded default) and
 * PostgreSQL (production). Nothing about the stores is tested against one of them only.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { BillableWorkOrder } from '../../domain/workOrder';
import type { EngineStores } from '../../stores/engineStores';
import { VersionConflictError, type StoredVersion } from '../../stores/versionStore';
import { migrate, SchemaTooNewError } from '../../stores/postgres/postgresMigrate';
import { MIGRATIONS } from '../../stores/postgres/migrations';
import { openPostgresStores } from '../../stores/postgres/postgresStores';
import { openSqliteStores } from '../../stores/sqlite/sqliteStores';
import { testDatabase } from '../support/testEnv';

const backends: [string, () => Promise<EngineStores>][] = [
  ['SQLite', async () => openSqliteStores(join(mkdtempSync(join(tmpdir(), 'soar-stores-')), 'engine.sqlite'))],
  ['PostgreSQL', async () => openPostgresStores(await testDatabase('stores'))],
];

function status(alertId: string, fields: Partial<AlertStatus> = {}): AlertStatus {
  return {
    alertId,
    tenantId: 'nordwind-handel',
    source: 'edr',
    title: `Alert ${alertId}`,
    observedAt: '2026-03-02T07:59:00.000Z',
    receivedAt: '2026-03-02T08:00:00.000Z',
    state: 'published',
    severity: 'high',
    classification: { severity: 'high', decidedBy: { kind: 'rule', ruleId: 'r-1', title: 'A rule' } },
    triage: { recommendation: null },
    ...fields,
  } as unknown as AlertStatus;
}

function order(workOrderId: string, fields: Partial<BillableWorkOrder> = {}): BillableWorkOrder {
  return {
    workOrderId,
    tenantId: 'nordwind-handel',
    alertId: null,
    requestedBy: 'customer:dev-customer',
    requestedAt: '2026-03-31T21:59:00.000Z',
    description: 'Please block 203.0.113.7',
    reason: 'R3: package 1 includes no incident handling; ordered separately, billed by the hour',
    ...fields,
  };
}

describe.each(backends)('the engine stores on %s', (_name, open) => {
  let stores: EngineStores;
  beforeAll(async () => {
    stores = await open();
  }, 60_000);
  afterAll(async () => {
    await stores?.close();
  });

  describe('read model', () => {
    test('an alert published twice leaves one row; a refresh shows the current state and recommendation', async () => {
      await stores.readModel.upsert(status('rm-1'), '2026-03-02T08:00:01.000Z', ['WS-0231.corp.example', 'ws-0231.corp.example']);
      await stores.readModel.upsert(status('rm-1'), '2026-03-02T08:00:09.000Z', ['WS-0231.corp.example']);
      expect(await stores.readModel.find('rm-1')).toMatchObject({ alertId: 'rm-1', state: 'published', severity: 'high', publishedAt: '2026-03-02T08:00:01.000Z' });
      await stores.readModel.refresh(status('rm-1', { state: 'closed', triage: { recommendation: 'Reset the password' } } as Partial<AlertStatus>));
      expect(await stores.readModel.find('rm-1')).toMatchObject({ state: 'closed' });
      expect(await stores.readModel.recommendationOf('rm-1')).toBe('Reset the password');
      expect(await stores.readModel.find('rm-unknown')).toBeUndefined();
      expect(await stores.readModel.recommendationOf('rm-unknown')).toBeNull();
    });

    test('an unclassified alert is refused, not stored half', async () => {
      await expect(stores.readModel.upsert(status('rm-raw', { severity: null, classification: null } as Partial<AlertStatus>), '2026-03-02T08:00:00.000Z')).rejects.toThrow(/not classified/);
      expect(await stores.readModel.find('rm-raw')).toBeUndefined();
    });

    test('R11 corroboration counts other alerts on the same hosts, case-insensitively, within the window', async () => {
      const tenantId = 'corroboration-tenant';
      await stores.readModel.upsert(status('co-1', { tenantId, receivedAt: '2026-03-02T08:00:00.000Z' }), 'x', ['DC01']);
      await stores.readModel.upsert(status('co-2', { tenantId, receivedAt: '2026-03-02T09:00:00.000Z' }), 'x', ['dc01', 'ws-1']);
      await stores.readModel.upsert(status('co-3', { tenantId, receivedAt: '2026-03-01T09:00:00.000Z' }), 'x', ['dc01']);
      await stores.readModel.upsert(status('co-4', { tenantId: 'another-tenant', receivedAt: '2026-03-02T09:00:00.000Z' }), 'x', ['dc01']);
      expect(await stores.readModel.countAlertsOnHosts(tenantId, ['DC01'], '2026-03-02T00:00:00.000Z', 'co-1')).toBe(1);
      expect(await stores.readModel.countAlertsOnHosts(tenantId, ['DC01', 'WS-1'], '2026-03-01T00:00:00.000Z', 'none')).toBe(3);
      expect(await stores.readModel.countAlertsOnHosts(tenantId, [], '2026-03-01T00:00:00.000Z', 'none')).toBe(0);
    });

    test('a tenant list puts the most severe first, then the newest', async () => {
      const tenantId = 'ordering-tenant';
      await stores.readModel.upsert(status('or-low', { tenantId, severity: 'low', receivedAt: '2026-03-05T00:00:00.000Z' }), 'x');
      await stores.readModel.upsert(status('or-crit-old', { tenantId, severity: 'critical', receivedAt: '2026-03-01T00:00:00.000Z' }), 'x');
      await stores.readModel.upsert(status('or-crit-new', { tenantId, severity: 'critical', receivedAt: '2026-03-04T00:00:00.000Z' }), 'x');
      await stores.readModel.upsert(status('or-medium', { tenantId, severity: 'medium', receivedAt: '2026-03-06T00:00:00.000Z' }), 'x');
      expect((await stores.readModel.listForTenant(tenantId, 10)).map((r) => r.alertId)).toEqual(['or-crit-new', 'or-crit-old', 'or-medium', 'or-low']);
      expect(await stores.readModel.listForTenant(tenantId, 2)).toHaveLength(2);
    });

    test('R14 a purge deletes old rows and host entries of the tenant, keeps open alerts and other tenants', async () => {
      const tenantId = 'purge-tenant';
      await stores.readModel.upsert(status('pu-old', { tenantId, receivedAt: '2026-01-01T00:00:00.000Z' }), 'x', ['h1']);
      await stores.readModel.upsert(status('pu-open', { tenantId, receivedAt: '2026-01-01T00:00:00.000Z' }), 'x', ['h2']);
      await stores.readModel.upsert(status('pu-new', { tenantId, receivedAt: '2026-03-01T00:00:00.000Z' }), 'x', ['h3']);
      await stores.readModel.upsert(status('pu-other', { tenantId: 'purge-other', receivedAt: '2026-01-01T00:00:00.000Z' }), 'x', ['h1']);
      expect(await stores.readModel.purgeTenant(tenantId, '2026-02-01T00:00:00.000Z', ['pu-open'])).toEqual({ dashboardAlerts: 1, alertHosts: 1 });
      expect(await stores.readModel.rowCounts(tenantId)).toEqual({ dashboardAlerts: 2, alertHosts: 2 });
      expect(await stores.readModel.rowCounts('purge-other')).toEqual({ dashboardAlerts: 1, alertHosts: 1 });
      expect(await stores.readModel.purgeTenant(tenantId, '2026-02-01T00:00:00.000Z', ['pu-open'])).toEqual({ dashboardAlerts: 0, alertHosts: 0 });
    });

    test('R15 incident counts per tenant and R3 alerts of a period with their recommendation', async () => {
      const tenantId = 'count-tenant';
      await stores.readModel.upsert(status('cn-1', { tenantId, receivedAt: '2026-02-28T22:59:59.999Z' }), 'x');
      await stores.readModel.upsert(status('cn-2', { tenantId, receivedAt: '2026-02-28T23:00:00.000Z' }), 'x');
      await stores.readModel.upsert(status('cn-3', { tenantId, receivedAt: '2026-03-31T21:59:59.999Z' }), 'x');
      await stores.readModel.refresh(status('cn-3', { tenantId, state: 'awaiting_triage', triage: { recommendation: 'Isolate' } } as Partial<AlertStatus>));
      const march = ['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z'] as const;
      expect((await stores.readModel.incidentCounts(...march)).get(tenantId)).toBe(2);
      const between = await stores.readModel.alertsBetween(tenantId, ...march);
      expect(between.map((a) => [a.alertId, a.recommendation])).toEqual([
        ['cn-2', null],
        ['cn-3', 'Isolate'],
      ]);
    });
  });

  describe('work orders', () => {
    test('an order is recorded once; recording it again returns the first, unchanged', async () => {
      expect(await stores.workOrders.record(order('wo-1'))).toEqual({ order: order('wo-1'), created: true });
      expect(await stores.workOrders.record(order('wo-1', { description: 'changed' }))).toEqual({ order: order('wo-1'), created: false });
      expect(await stores.workOrders.find('wo-1')).toEqual(order('wo-1'));
      expect(await stores.workOrders.find('wo-none')).toBeUndefined();
    });

    test('orders are listed by tenant and period, oldest first, and counted per tenant', async () => {
      const tenantId = 'orders-tenant';
      await stores.workOrders.record(order('wo-b', { tenantId, requestedAt: '2026-03-10T10:00:00.000Z', alertId: 'alert-1' }));
      await stores.workOrders.record(order('wo-a', { tenantId, requestedAt: '2026-03-01T10:00:00.000Z' }));
      await stores.workOrders.record(order('wo-c', { tenantId, requestedAt: '2026-04-01T10:00:00.000Z' }));
      await stores.workOrders.record(order('wo-x', { tenantId: 'orders-other', requestedAt: '2026-03-05T10:00:00.000Z' }));
      expect((await stores.workOrders.list({ tenantId })).map((o) => o.workOrderId)).toEqual(['wo-a', 'wo-b', 'wo-c']);
      expect((await stores.workOrders.list({ tenantId, from: '2026-03-01T10:00:00.000Z', to: '2026-04-01T10:00:00.000Z' })).map((o) => o.workOrderId)).toEqual(['wo-a', 'wo-b']);
      expect((await stores.workOrders.list({ from: '2026-03-05T00:00:00.000Z', to: '2026-03-06T00:00:00.000Z' })).map((o) => o.workOrderId)).toEqual(['wo-x']);
      expect((await stores.workOrders.list({ tenantId }))[1]?.alertId).toBe('alert-1');
      expect(await stores.workOrders.count(tenantId)).toBe(3);
    });
  });

  describe('tenant ledger', () => {
    test('R16 a second change for the same tenant and date replaces the first; changes come in date order', async () => {
      const base = { tenantId: 'ledger-tenant', fromPackage: 1 as const, requestedBy: 'admin:dev-admin', requestedAt: '2026-03-01T10:00:00.000Z' };
      await stores.ledger.recordPackageChange({ ...base, effectiveDate: '2026-04-01', effectiveFrom: '2026-03-31T22:00:00.000Z', toPackage: 2 });
      await stores.ledger.recordPackageChange({ ...base, effectiveDate: '2026-03-15', effectiveFrom: '2026-03-14T23:00:00.000Z', toPackage: 3 });
      await stores.ledger.recordPackageChange({ ...base, effectiveDate: '2026-04-01', effectiveFrom: '2026-03-31T22:00:00.000Z', toPackage: 3 });
      const changes = await stores.ledger.packageChanges('ledger-tenant');
      expect(changes.map((c) => [c.effectiveDate, c.toPackage])).toEqual([
        ['2026-03-15', 3],
        ['2026-04-01', 3],
      ]);
      expect(await stores.ledger.packageChanges('no-such-tenant')).toEqual([]);
    });

    test('R4 leak findings: only new ones are returned, addresses in lower case', async () => {
      const first = await stores.ledger.recordLeakFindings('leak-tenant', [{ address: 'J.Becker@Example.com', breach: 'Forum2025' }], '2026-03-01T00:00:00.000Z');
      expect(first).toEqual([{ address: 'j.becker@example.com', breach: 'Forum2025', foundAt: '2026-03-01T00:00:00.000Z' }]);
      const second = await stores.ledger.recordLeakFindings(
        'leak-tenant',
        [
          { address: 'j.becker@example.com', breach: 'Forum2025' },
          { address: 'a.schulz@example.com', breach: 'Forum2025' },
        ],
        '2026-03-08T00:00:00.000Z',
      );
      expect(second.map((f) => f.address)).toEqual(['a.schulz@example.com']);
      expect((await stores.ledger.leakFindings('leak-tenant')).map((f) => f.address)).toEqual(['a.schulz@example.com', 'j.becker@example.com']);
    });

    test('R11 R16 option changes keep their setting; a second change of the same option and date replaces the first', async () => {
      const base = { tenantId: 'option-tenant', requestedBy: 'admin:dev-admin', requestedAt: '2027-01-04T10:00:00.000Z' };
      const february = { effectiveDate: '2027-02-01', effectiveFrom: '2027-01-31T23:00:00.000Z' };
      await stores.ledger.recordOptionChange({ ...base, ...february, option: 'fixedSocContact', setting: { analyst: 'a.schmidt', weekdaysOnly: true } });
      await stores.ledger.recordOptionChange({ ...base, ...february, option: 'twentyFourSeven', setting: true });
      await stores.ledger.recordOptionChange({ ...base, effectiveDate: '2027-03-01', effectiveFrom: '2027-02-28T23:00:00.000Z', option: 'twentyFourSeven', setting: false });
      await stores.ledger.recordOptionChange({ ...base, ...february, option: 'twentyFourSeven', setting: false, requestedAt: '2027-01-05T10:00:00.000Z' });
      const changes = await stores.ledger.optionChanges('option-tenant');
      expect(changes.map((c) => [c.effectiveDate, c.option, c.setting])).toEqual([
        ['2027-02-01', 'fixedSocContact', { analyst: 'a.schmidt', weekdaysOnly: true }],
        ['2027-02-01', 'twentyFourSeven', false],
        ['2027-03-01', 'twentyFourSeven', false],
      ]);
      expect(changes[1]).toMatchObject({ effectiveFrom: '2027-01-31T23:00:00.000Z', requestedAt: '2027-01-05T10:00:00.000Z' });
      expect(await stores.ledger.optionChanges('no-such-tenant')).toEqual([]);
    });

    test('R15 a fair-use notice is due until marked sent, then never again for that month; the first flagging stands', async () => {
      const notice = { tenantId: 'fair-tenant', month: '2027-01', incidents: 31, baseline: 10, flaggedAt: '2027-01-20T06:30:00.000Z' };
      expect(await stores.ledger.fairUseNoticeDue(notice)).toBe(true);
      // A retried or restarted check before the mail went out: still due, the first record kept.
      expect(await stores.ledger.fairUseNoticeDue({ ...notice, incidents: 35, flaggedAt: '2027-01-21T06:30:00.000Z' })).toBe(true);
      await stores.ledger.markFairUseNoticeSent('fair-tenant', '2027-01', '2027-01-21T06:30:05.000Z');
      expect(await stores.ledger.fairUseNoticeDue({ ...notice, incidents: 40 })).toBe(false);
      await stores.ledger.markFairUseNoticeSent('fair-tenant', '2027-01', '2027-01-22T06:30:05.000Z');
      expect(await stores.ledger.fairUseNoticeDue({ ...notice, month: '2027-02' })).toBe(true);
      expect(await stores.ledger.fairUseNotices('fair-tenant')).toEqual([
        { ...notice, sentAt: '2027-01-21T06:30:05.000Z' },
        { ...notice, month: '2027-02', sentAt: null },
      ]);
    });
  });

  describe('Graph watermarks', () => {
    test('a watermark is absent until set, and a later set replaces it', async () => {
      expect(await stores.watermarks.get('wm-tenant')).toBeNull();
      await stores.watermarks.set('wm-tenant', { lastUpdateDateTime: '2026-03-01T10:00:00.1234567Z', idsAtWatermark: ['a', 'b'] }, new Date());
      await stores.watermarks.set('wm-tenant', { lastUpdateDateTime: '2026-03-01T11:00:00Z', idsAtWatermark: ['c'] }, new Date());
      expect(await stores.watermarks.get('wm-tenant')).toEqual({ lastUpdateDateTime: '2026-03-01T11:00:00Z', idsAtWatermark: ['c'] });
    });
  });

  describe('dashboard sessions', () => {
    const session = (id: string, principalKey: string, expiresAt: number) => ({ id, principalKey, principal: JSON.stringify({ keyId: principalKey }), csrfToken: `csrf-${id}`, expiresAt });

    test('a session is found until it expires or is closed', async () => {
      await stores.sessions.open(session('s-live', 'key-a', 2_000), 10);
      expect(await stores.sessions.find('s-live', 1_000)).toMatchObject({ id: 's-live', principalKey: 'key-a', csrfToken: 'csrf-s-live', expiresAt: 2_000 });
      expect(await stores.sessions.find('s-live', 2_000)).toBeUndefined();
      expect(await stores.sessions.find('s-live', 1_000)).toBeUndefined();
      await stores.sessions.open(session('s-closed', 'key-a', 9_000), 10);
      await stores.sessions.close('s-closed');
      expect(await stores.sessions.find('s-closed', 1_000)).toBeUndefined();
    });

    test('past the cap per principal its oldest sessions close, another principal keeps its own', async () => {
      await stores.sessions.open(session('other-1', 'key-other', 9_000_000_000_000), 3);
      for (const n of [1, 2, 3, 4]) await stores.sessions.open(session(`cap-${n}`, 'key-cap', 9_000_000_000_000), 3);
      expect(await stores.sessions.find('cap-1', 1)).toBeUndefined();
      for (const n of [2, 3, 4]) expect(await stores.sessions.find(`cap-${n}`, 1)).toBeDefined();
      expect(await stores.sessions.find('other-1', 1)).toBeDefined();
    });

    test('a sweep deletes expired sessions only', async () => {
      await stores.sessions.open(session('sw-old', 'key-sw', 100), 10);
      await stores.sessions.open(session('sw-new', 'key-sw', 9_000_000_000_000), 10);
      expect(await stores.sessions.sweep(1_000)).toBeGreaterThanOrEqual(1);
      expect(await stores.sessions.find('sw-new', 1_000)).toBeDefined();
    });
  });

  describe('rate-limit counters', () => {
    test('hits count within a window and start again in the next; a hit can be taken back and a key reset', async () => {
      const minute = 60_000;
      const t = 1_800_000_000_000;
      expect(await stores.rateLimits.hit('rl-a', minute, t)).toEqual({ count: 1, resetAt: t + minute });
      expect(await stores.rateLimits.hit('rl-a', minute, t + 10)).toEqual({ count: 2, resetAt: t + minute });
      expect(await stores.rateLimits.hit('rl-b', minute, t)).toMatchObject({ count: 1 });
      await stores.rateLimits.unhit('rl-a', minute, t);
      expect(await stores.rateLimits.hit('rl-a', minute, t + 20)).toMatchObject({ count: 2 });
      expect(await stores.rateLimits.hit('rl-a', minute, t + minute)).toEqual({ count: 1, resetAt: t + 2 * minute });
      await stores.rateLimits.reset('rl-a');
      expect(await stores.rateLimits.hit('rl-a', minute, t + minute)).toMatchObject({ count: 1 });
      // A peek counts nothing.
      expect(await stores.rateLimits.peek('rl-a', minute, t + minute)).toEqual({ count: 1, resetAt: t + 2 * minute });
      expect(await stores.rateLimits.peek('rl-a', minute, t + minute)).toEqual({ count: 1, resetAt: t + 2 * minute });
      expect(await stores.rateLimits.peek('rl-none', minute, t)).toEqual({ count: 0, resetAt: t + minute });
    });

    test('concurrent hits each count once', async () => {
      const t = 1_800_000_600_000;
      const counts = await Promise.all(Array.from({ length: 20 }, () => stores.rateLimits.hit('rl-many', 60_000, t)));
      expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });
  });

  describe('playbook and release-matrix versions', () => {
    const version = (revision: number, fields: Partial<StoredVersion> = {}): StoredVersion => ({
      kind: 'playbook',
      subject: 'block-attacker-ip',
      revision,
      role: 'active',
      digest: `sha256:${String(revision).repeat(64).slice(0, 64)}`,
      previousDigest: `sha256:${String(revision - 1).repeat(64).slice(0, 64)}`,
      changedBy: 'admin:dev-admin',
      changedAt: `2026-03-0${revision}T08:00:00.000Z`,
      note: `change ${revision}`,
      content: JSON.stringify({ id: 'block-attacker-ip', revision }),
      ...fields,
    });

    test('each revision keeps its predecessor, newest first, per kind and subject; a revision stored twice is a conflict that changes nothing', async () => {
      expect(await stores.versions.history('playbook', 'block-attacker-ip')).toEqual([]);
      await stores.versions.append(version(1));
      await stores.versions.append(version(2, { role: 'shadow' }));
      await stores.versions.append(version(1, { kind: 'release-matrix', subject: 'mueller-logistik' }));
      await expect(stores.versions.append(version(2, { note: 'lost race' }))).rejects.toBeInstanceOf(VersionConflictError);
      expect(await stores.versions.history('playbook', 'block-attacker-ip')).toEqual([version(2, { role: 'shadow' }), version(1)]);
      expect(await stores.versions.history('release-matrix', 'mueller-logistik')).toEqual([version(1, { kind: 'release-matrix', subject: 'mueller-logistik' })]);
    });
  });
});

describe('PostgreSQL migrations', () => {
  test('two processes migrating together apply each migration once', async () => {
    const url = await testDatabase('migrate');
    const pools = [new Pool({ connectionString: url }), new Pool({ connectionString: url })];
    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool)));
      expect(results.map((r) => r.applied).flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
      const { rows } = await pools[0]!.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r: { version: number }) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect((await migrate(pools[1]!)).applied).toEqual([]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  test('a database migrated by a newer build is refused with both versions named', async () => {
    const url = await testDatabase('migrate_newer');
    const pool = new Pool({ connectionString: url });
    try {
      await migrate(pool);
      await pool.query(`INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')`);
      await expect(migrate(pool)).rejects.toThrow(SchemaTooNewError);
      await expect(migrate(pool)).rejects.toThrow(`schema version 999, this build knows up to ${Math.max(...MIGRATIONS.map((m) => m.version))}`);
    } finally {
      await pool.end();
    }
  });
});
