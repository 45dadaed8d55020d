/** The sample tenants in config/tenants load, and carry what the service rules need. */
import { join } from 'node:path';
import { parseTenantYaml, TenantNotFoundError } from '../../domain/tenant/loadTenants';
import { loadTenantDirectory, loadTenantFile } from '../../infra/files/tenantFiles';
import { isManagementMobile } from '../../domain/tenant/contactSchema';
import { findSource, tenantUsesMicrosoft365 } from '../../domain/tenant/tenantSchema';
import { PACKAGE_1 } from './tenantFixtures';

const TENANTS_DIR = join(__dirname, '../../config/tenants');
const SAMPLES = ['mueller-logistik', 'nordwind-handel', 'rheinwerk-maschinenbau'] as const;

describe('sample tenants', () => {
  test.each(SAMPLES)('%s loads', (id) => {
    expect(loadTenantFile(join(TENANTS_DIR, `${id}.yaml`)).id).toBe(id);
  });

  test('the directory loads into a catalog ordered by id, one sample per package', () => {
    const catalog = loadTenantDirectory(TENANTS_DIR);
    expect(catalog.all().map((t) => t.id)).toEqual([...SAMPLES]);
    expect(catalog.all().map((t) => t.package)).toEqual([2, 1, 3]);
  });

  test('R1 every sample has a defender and an edr source, with the Sigma product derived from the kind', () => {
    for (const tenant of loadTenantDirectory(TENANTS_DIR).all()) {
      expect(findSource(tenant, 'defender')).toMatchObject({ kind: 'defender-endpoint', product: 'm365' });
      expect(findSource(tenant, 'edr')).toMatchObject({ kind: 'edr', product: 'endpoint' });
      expect(findSource(tenant, 'no-such-source')).toBeUndefined();
    }
  });

  test('R13 the Azure tenant of mueller-logistik finds it, in any letter case', () => {
    const catalog = loadTenantDirectory(TENANTS_DIR);
    expect(catalog.findByAzureTenantId('b3c8f0a4-5f2e-4d6b-9c1a-7e2f1d3a4b5c')?.id).toBe('mueller-logistik');
    expect(catalog.findByAzureTenantId('B3C8F0A4-5F2E-4D6B-9C1A-7E2F1D3A4B5C')?.id).toBe('mueller-logistik');
    expect(catalog.findByAzureTenantId('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(tenantUsesMicrosoft365(catalog.require('mueller-logistik'))).toBe(true);
    expect(tenantUsesMicrosoft365(parseTenantYaml(PACKAGE_1, 'acme.yaml'))).toBe(false);
  });

  test('R10 R12 mueller-logistik: package 2 with weekend emergency and an OPNsense firewall it may block IPs on', () => {
    const tenant = loadTenantDirectory(TENANTS_DIR).require('mueller-logistik');
    expect(tenant.options).toMatchObject({ weekendEmergency: true, firewall: true, twentyFourSeven: false, aiIsolation: null });
    expect(findSource(tenant, 'opnsense-fw1')).toMatchObject({ kind: 'firewall-opnsense', product: 'firewall' });
    expect(tenant.releaseMatrix.rules.find((r) => r.action === 'firewall.blockIp')?.targets.firewalls).toEqual(['opnsense-fw1']);
    const disable = tenant.releaseMatrix.rules.find((r) => r.action === 'm365.disableUser');
    expect(disable?.requiresApproval).toBe(true);
    expect(disable?.except?.users).toContain('breakglass-*@mueller-logistik.example');
    expect(tenant.releaseMatrix.default).toBe('deny');
  });

  test('R11 rheinwerk-maschinenbau: package 3 with every package 3 option', () => {
    const tenant = loadTenantDirectory(TENANTS_DIR).require('rheinwerk-maschinenbau');
    expect(tenant.options).toEqual({
      firewall: true,
      weekendEmergency: false,
      twentyFourSeven: true,
      allSeverities: true,
      weeklyReview: true,
      fixedSocContact: { analyst: 'a.schmidt', weekdaysOnly: true },
      aiIsolation: { confidenceThreshold: 0.9, maxPerHour: 3 },
    });
    const isolate = tenant.releaseMatrix.rules.find((r) => r.action === 'defender.isolateDevice');
    expect(isolate).toMatchObject({ targets: { hosts: ['WS-*'] }, except: { hosts: ['SRV-*'] }, requiresApproval: true });
  });

  test('R3 nordwind-handel: package 1 without analyst options, escalation or release rules', () => {
    const tenant = loadTenantDirectory(TENANTS_DIR).require('nordwind-handel');
    expect(tenant.package).toBe(1);
    expect(tenant.escalation).toBeUndefined();
    expect(tenant.releaseMatrix.rules).toEqual([]);
  });

  test('R14 retention defaults to 90 days; an agreed retention is kept', () => {
    const catalog = loadTenantDirectory(TENANTS_DIR);
    expect(catalog.require('nordwind-handel').retentionDays).toBe(90);
    expect(catalog.require('rheinwerk-maschinenbau').retentionDays).toBe(180);
  });

  test('R13 every sample tenant names a management mobile number, package 1 too', () => {
    for (const tenant of loadTenantDirectory(TENANTS_DIR).all()) expect(tenant.contacts.some(isManagementMobile)).toBe(true);
  });

  test('a contact is notified of all four severities unless listed', () => {
    const tenant = loadTenantDirectory(TENANTS_DIR).require('mueller-logistik');
    expect(tenant.contacts.find((c) => c.role === 'it')?.notify).toEqual(['low', 'medium', 'high', 'critical']);
  });

  test('the catalog is immutable and require() refuses an unknown tenant', () => {
    const catalog = loadTenantDirectory(TENANTS_DIR);
    const tenant = catalog.require('nordwind-handel');
    expect(Object.isFrozen(tenant)).toBe(true);
    expect(Object.isFrozen(tenant.sources[0])).toBe(true);
    expect(Object.isFrozen(catalog.all())).toBe(true);
    expect(catalog.get('no-such-customer')).toBeUndefined();
    expect(() => catalog.require('no-such-customer')).toThrow(TenantNotFoundError);
  });
});
