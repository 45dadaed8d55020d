/** A firewall source's `api` block (R12): where the engine blocks IPs and which list a deny rule uses. */
import { parseTenantYaml } from '../../domain/tenant/loadTenants';
import { edit, FILE, PACKAGE_2, refusalOf } from './tenantFixtures';

const WITH_FIREWALL = edit(PACKAGE_2, 'package: 2\n', 'package: 2\noptions:\n  firewall: true\n');
const withSource = (source: string) => edit(WITH_FIREWALL, 'sources:\n', `sources:\n${source}`);

describe('firewall api block', () => {
  test('R12 an OPNsense source names its https API and the alias a deny rule uses', () => {
    const tenant = parseTenantYaml(withSource('  - id: fw1\n    kind: firewall-opnsense\n    api: { url: "https://198.51.100.10", blockList: SOAR_BLOCKLIST }\n'), FILE);
    expect(tenant.sources.find((s) => s.id === 'fw1')?.api).toEqual({ url: 'https://198.51.100.10', blockList: 'SOAR_BLOCKLIST' });
  });

  test('R12 a FortiGate source may name its VDOM', () => {
    const tenant = parseTenantYaml(withSource('  - id: fg\n    kind: firewall-fortigate\n    api: { url: "https://203.0.113.1", blockList: SOAR-BLOCK, vdom: root }\n'), FILE);
    expect(tenant.sources.find((s) => s.id === 'fg')?.api?.vdom).toBe('root');
  });

  test('plain http is refused (the API key would travel in clear text)', () => {
    const error = refusalOf(withSource('  - id: fw1\n    kind: firewall-opnsense\n    api: { url: "http://198.51.100.10", blockList: SOAR_BLOCKLIST }\n'));
    expect(error.issues[0]).toMatchObject({ path: 'sources[0].api.url' });
    expect(error.issues[0]?.message).toContain('an https URL');
  });

  test('an api block on a non-firewall source, a VDOM on OPNsense and an unknown key are refused', () => {
    expect(refusalOf(withSource('  - id: x\n    kind: edr\n    api: { url: "https://192.0.2.1", blockList: L }\n')).issues[0]).toMatchObject({
      path: 'sources[0].api',
      message: 'api belongs to firewall-opnsense and firewall-fortigate sources, not to edr',
    });
    expect(refusalOf(withSource('  - id: fw1\n    kind: firewall-opnsense\n    api: { url: "https://192.0.2.1", blockList: L, vdom: root }\n')).issues[0]?.message).toBe(
      'vdom is a FortiGate setting, not one of a firewall-opnsense source',
    );
    expect(refusalOf(withSource('  - id: fw1\n    kind: firewall-opnsense\n    api: { url: "https://192.0.2.1", blocklist: L }\n')).message).toContain('blocklist');
  });
});
