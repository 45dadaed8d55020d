/** The example Graph alerts in examples/defender map onto normalised alerts that pass the schema, keeping the original as raw. */
import { azureTenantIdOf } from '../../../ingest/defender/parseDefenderPayload';
import { AZURE_TENANT, example, normalised, normalisedOne, parsedAlerts, TARGET } from './graphAlerts';

describe('single-alert.json (Defender for Endpoint)', () => {
  const body = example('single-alert.json');

  test('maps onto a normalised alert that passes the schema', () => {
    const alert = normalisedOne(body);
    expect(alert).toMatchObject({
      tenantId: TARGET.tenantId,
      source: TARGET.source,
      externalId: 'da638342176938104367_-1281645738',
      title: 'Suspicious PowerShell download and execution',
      observedAt: '2026-11-26T08:41:12.481Z',
      vendorSeverity: 'high',
      techniques: ['T1059.001', 'T1105'],
    });
  });

  test('keeps U+FFFD in the description as it is', () => {
    const alert = normalisedOne(body);
    expect(alert.description).toContain('(\uFFFD)');
  });

  test('keeps the whole original alert as raw, unknown properties included', () => {
    expect(normalisedOne(body).raw).toEqual(body);
  });

  test('maps device, process, file, user, IP and URL evidence into entities, merging the repeated user', () => {
    const { entities } = normalisedOne(body);
    expect(entities.hosts).toEqual([
      {
        hostname: 'ws-0231.mueller-logistik.example',
        deviceId: '73e7e2de709dff64ef64b1d0c30e67fab63279db',
        os: 'Windows11',
        ips: ['10.20.4.31', 'fe80::8d1c:2b7a:51e0:9c3f', '127.0.0.1'],
      },
    ]);
    expect(entities.users).toEqual([
      {
        name: 'j.becker',
        domain: 'MUELLER',
        upn: 'j.becker@mueller-logistik.example',
        sid: 'S-1-5-21-1004336348-1177238915-682003330-1187',
        azureAdObjectId: '9a4b2c71-3d5e-4f60-8a1b-2c3d4e5f6a7b',
      },
    ]);
    expect(entities.processes).toEqual([
      {
        pid: 7312,
        commandLine: expect.stringContaining('DownloadString'),
        imagePath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        user: 'MUELLER\\j.becker',
        parentImagePath: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
      },
    ]);
    expect(entities.files).toEqual([
      {
        name: 'u.ps1',
        path: 'C:\\Users\\j.becker\\AppData\\Local\\Temp\\u.ps1',
        sha1: '3395856ce81f2b7382dee72602f798b642f14140',
        sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
      },
    ]);
    expect(entities.ips).toEqual([{ address: '203.0.113.77', role: 'destination', countryCode: 'NL' }]);
    expect(entities.urls).toEqual([{ url: 'https://cdn-update.example-malicious.net/u.ps1' }]);
  });

  test('R1: exposes the Azure tenant id so the API can compare it with the connected Microsoft 365 tenant', () => {
    const [alert] = parsedAlerts(body);
    expect(alert && azureTenantIdOf(alert)).toBe(AZURE_TENANT);
  });
});

describe('alerts-page.json (a Graph page of three services)', () => {
  const body = example('alerts-page.json');

  test('every alert maps and passes the schema, in page order', () => {
    const alerts = normalised(body);
    expect(alerts.map((alert) => alert.externalId)).toEqual([
      'da638342190012345678_1730922104',
      'fa5f4c3e2b-8a7d-4c1e-9f0a-1b2c3d4e5f60',
      'ad1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8',
    ]);
    expect(parsedAlerts(body).map((alert) => alert.serviceSource)).toEqual([
      'microsoftDefenderForEndpoint',
      'microsoftDefenderForOffice365',
      'azureAdIdentityProtection',
    ]);
  });

  test('R1: every alert exposes the same Azure tenant id, lower-cased even when Graph sends capitals', () => {
    expect(parsedAlerts(body).map(azureTenantIdOf)).toEqual([AZURE_TENANT, AZURE_TENANT, AZURE_TENANT]);
  });

  test('the Defender for Endpoint alert: host, logged-on admin, file without sha256, process', () => {
    const [endpoint] = normalised(body);
    expect(endpoint?.entities.hosts).toEqual([
      { hostname: 'srv-file01.mueller-logistik.example', deviceId: '1e5bc9d7e413ddd7902c2932e418702b84d0cc07', os: 'WindowsServer2022', ips: ['10.20.1.12'] },
    ]);
    expect(endpoint?.entities.users).toEqual([{ name: 'adm.kraus', domain: 'MUELLER', sid: 'S-1-5-21-1004336348-1177238915-682003330-1502' }]);
    expect(endpoint?.entities.files).toEqual([
      { name: 'mimikatz.exe', path: 'C:\\Users\\adm.kraus\\Downloads\\mimikatz.exe', sha1: 'd241df7b9d2ec0b8194751cd5ce153e27cc40fa4' },
    ]);
    expect(endpoint?.entities.processes).toHaveLength(1);
    expect(endpoint?.techniques).toEqual(['T1003', 'T1003.001']);
  });

  test('the Defender for Office 365 alert: recipient mailbox as one user, sender IP, one URL; RTL mark and emoji kept', () => {
    const [, mail] = normalised(body);
    expect(mail?.entities.users).toEqual([
      {
        name: 'm.schulz',
        upn: 'm.schulz@mueller-logistik.example',
        domain: 'mueller-logistik.example',
        azureAdObjectId: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b',
      },
    ]);
    expect(mail?.entities.ips).toEqual([{ address: '192.0.2.44', role: 'source' }]);
    expect(mail?.entities.urls).toEqual([{ url: 'https://rechnung-portal.example/login?id=88213' }]);
    expect(mail?.title.endsWith('\u200f')).toBe(true);
    expect(mail?.description).toContain('📎');
  });

  test('the Entra ID Protection alert: null description, unknownFutureValue severity, unset first activity, unknown evidence type', () => {
    const [, , identity] = normalised(body);
    expect(identity).toMatchObject({ description: '', vendorSeverity: 'unknown', observedAt: '2026-11-26T12:20:05.330Z', techniques: [] });
    expect(identity?.entities.users).toEqual([
      { name: 't.wagner', upn: 't.wagner@mueller-logistik.example', domain: 'mueller-logistik.example', azureAdObjectId: '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a' },
    ]);
    expect(identity?.entities.ips).toEqual([{ address: '2001:db8:4f2a::17', role: 'source', countryCode: 'BR' }]);
    expect(JSON.stringify(identity?.raw)).toContain('#microsoft.graph.security.signInRiskSignalEvidence');
  });
});
