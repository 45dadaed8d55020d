/** A normalised alert flattened into the fields the detection rules are written against. */
import { ALERT_FIELDS, alertFields } from '../../detection/alertFields';
import { normalisedAlertSchema, type NormalisedAlertInput } from '../../domain/alert';

const alert = (overrides: Partial<NormalisedAlertInput> = {}) =>
  normalisedAlertSchema.parse({
    tenantId: 'nordwind-handel',
    source: 'edr',
    externalId: 'ext-1',
    title: 'Suspicious access to LSASS memory',
    observedAt: '2026-11-26T08:41:12Z',
    ...overrides,
  });

describe('alertFields', () => {
  test('maps every entity onto its documented field, each a list of values', () => {
    const fields = alertFields(
      alert({
        description: 'procdump dumped lsass',
        vendorSeverity: 'high',
        techniques: ['T1003.001', 'T1003'],
        entities: {
          users: [{ name: 'j.becker', upn: 'j.becker@nordwind.example', domain: 'NORDWIND' }],
          hosts: [{ hostname: 'WS-0231', deviceId: 'dev-42', os: 'Windows 11', ips: ['10.0.0.5'] }],
          ips: [
            { address: '192.0.2.7', role: 'source' },
            { address: '203.0.113.9', role: 'destination' },
            { address: '2001:db8::1', role: 'unknown' },
          ],
          files: [{ name: 'l.dmp', path: 'C:\\Users\\Public\\l.dmp', sha1: 'a'.repeat(40), sha256: 'b'.repeat(64), md5: 'c'.repeat(32) }],
          processes: [{ commandLine: 'procdump64.exe -ma lsass.exe', imagePath: 'C:\\Tools\\procdump64.exe', parentImagePath: 'C:\\Windows\\cmd.exe', user: 'NORDWIND\\j.becker' }],
          urls: [{ url: 'https://203.0.113.9/payload' }],
        },
      }),
    );
    expect(fields).toEqual({
      title: ['Suspicious access to LSASS memory'],
      description: ['procdump dumped lsass'],
      source: ['edr'],
      externalId: ['ext-1'],
      vendorSeverity: ['high'],
      technique: ['T1003.001', 'T1003'],
      'user.name': ['j.becker'],
      'user.upn': ['j.becker@nordwind.example'],
      'user.domain': ['NORDWIND'],
      'host.name': ['WS-0231'],
      'host.id': ['dev-42'],
      'host.os': ['Windows 11'],
      ip: ['192.0.2.7', '203.0.113.9', '2001:db8::1', '10.0.0.5'],
      src_ip: ['192.0.2.7'],
      dst_ip: ['203.0.113.9'],
      'file.name': ['l.dmp'],
      'file.path': ['C:\\Users\\Public\\l.dmp'],
      'file.sha1': ['a'.repeat(40)],
      'file.sha256': ['b'.repeat(64)],
      'file.md5': ['c'.repeat(32)],
      'process.command_line': ['procdump64.exe -ma lsass.exe'],
      'process.image': ['C:\\Tools\\procdump64.exe'],
      'process.parent_image': ['C:\\Windows\\cmd.exe'],
      'process.user': ['NORDWIND\\j.becker'],
      url: ['https://203.0.113.9/payload'],
    });
    expect(Object.keys(fields)).toEqual([...ALERT_FIELDS]);
  });

  test('fields without a value are absent, so exists and null can test for them', () => {
    const fields = alertFields(alert());
    expect(fields).toEqual({ title: ['Suspicious access to LSASS memory'], source: ['edr'], externalId: ['ext-1'] });
  });

  test('several entities give several values, without duplicates', () => {
    const fields = alertFields(
      alert({
        entities: {
          users: [{ name: 'a' }, { name: 'b' }, { name: 'a' }],
          hosts: [{ hostname: 'h1', ips: ['10.0.0.1'] }, { hostname: 'h2', ips: ['10.0.0.1', '10.0.0.2'] }],
          ips: [{ address: '10.0.0.1', role: 'source' }],
        },
      }),
    );
    expect(fields['user.name']).toEqual(['a', 'b']);
    expect(fields['host.name']).toEqual(['h1', 'h2']);
    expect(fields.ip).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(fields.src_ip).toEqual(['10.0.0.1']);
    expect(fields.dst_ip).toBeUndefined();
  });
});
