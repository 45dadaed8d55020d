/** The intake body: one alert or a Graph page; what is refused (with the path) and what is tolerated (nulls, new fields). */
import { parseDefenderPayload } from '../../../ingest/defender/parseDefenderPayload';
import { evidence, graphAlert, normalisedOne, parsedAlerts } from './graphAlerts';

const issuesOf = (body: unknown) => {
  const parsed = parseDefenderPayload(body);
  if (parsed.ok) throw new Error('expected a refusal');
  return parsed.issues;
};

describe('single alert or page', () => {
  test('one alert object is one alert', () => {
    expect(parsedAlerts(graphAlert()).map((alert) => alert.id)).toEqual(['da638342176938104367_1']);
  });

  test('a page with @odata keys around the value list gives its alerts in order', () => {
    const page = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2',
      '@odata.count': 2,
      value: [graphAlert({ id: 'a-1' }), graphAlert({ id: 'a-2' })],
      '@odata.nextLink': 'https://graph.microsoft.com/v1.0/security/alerts_v2?$skip=2',
    };
    expect(parsedAlerts(page).map((alert) => alert.id)).toEqual(['a-1', 'a-2']);
  });

  test('an empty value list is refused: nothing to accept', () => {
    expect(issuesOf({ value: [] })).toEqual([{ path: 'value', message: 'the value list is empty: nothing to accept' }]);
  });

  test('more than 500 alerts in one page are refused', () => {
    const value = Array.from({ length: 501 }, (_, i) => graphAlert({ id: `a-${i}` }));
    expect(issuesOf({ value })).toEqual([{ path: 'value', message: 'at most 500 alerts per request' }]);
  });

  test.each([null, 'alert', 42, [graphAlert()]])('a body that is not an object (%p) is refused as a whole', (body) => {
    expect(issuesOf(body)).toEqual([{ path: '(body)', message: expect.stringContaining('Graph security alert') }]);
  });

  test('value that is not a list is refused at value', () => {
    expect(issuesOf({ value: graphAlert() })[0]?.path).toBe('value');
  });
});

describe('refusals carry the path of the wrong field', () => {
  test.each([
    ['id', { id: 42 }, 'id'],
    ['severity', { severity: 'critical' }, 'severity'],
    ['title', { title: ['not', 'text'] }, 'title'],
    ['mitreTechniques', { mitreTechniques: 'T1059' }, 'mitreTechniques'],
    ['a timestamp', { createdDateTime: '26.11.2026 08:41' }, 'createdDateTime'],
    ['evidence', { evidence: { '@odata.type': '#microsoft.graph.security.ipEvidence' } }, 'evidence'],
  ])('%s of the wrong type', (_name, override, path) => {
    expect(issuesOf(graphAlert(override)).map((issue) => issue.path)).toEqual([path]);
  });

  test('a missing Azure tenant id is refused, naming R1', () => {
    const alert = graphAlert();
    delete alert.tenantId;
    expect(issuesOf(alert)).toEqual([{ path: 'tenantId', message: expect.stringContaining('R1') }]);
  });

  test('a tenant id that is not a GUID is refused', () => {
    expect(issuesOf(graphAlert({ tenantId: 'contoso.onmicrosoft.com' }))[0]?.path).toBe('tenantId');
  });

  test('an alert without any time is refused at createdDateTime', () => {
    expect(issuesOf(graphAlert({ createdDateTime: null }))).toEqual([{ path: 'createdDateTime', message: expect.stringContaining('required') }]);
  });

  test('a wrong type deep inside known evidence is refused with its full path inside the page', () => {
    const page = {
      value: [
        graphAlert(),
        graphAlert({
          evidence: [
            evidence('urlEvidence', { url: 'https://ok.example' }),
            evidence('processEvidence', { processId: '7312', imageFile: { fileName: 7 } }),
          ],
        }),
      ],
    };
    expect(issuesOf(page).map((issue) => issue.path).sort()).toEqual(['value[1].evidence[1].imageFile.fileName', 'value[1].evidence[1].processId']);
  });

  test('an evidence item that is not an object, or has a non-string @odata.type, is refused', () => {
    expect(issuesOf(graphAlert({ evidence: ['ipEvidence'] }))[0]?.path).toBe('evidence[0]');
    expect(issuesOf(graphAlert({ evidence: [{ '@odata.type': 7 }] }))[0]?.path).toBe('evidence[0].@odata.type');
  });
});

describe('what Graph really sends is tolerated', () => {
  test('null in every nullable field is accepted', () => {
    const nulls = Object.fromEntries(
      [
        'providerAlertId', 'incidentId', 'status', 'severity', 'classification', 'determination', 'serviceSource', 'detectionSource',
        'detectorId', 'title', 'description', 'recommendedActions', 'category', 'mitreTechniques', 'lastUpdateDateTime',
        'firstActivityDateTime', 'lastActivityDateTime', 'alertWebUrl', 'incidentWebUrl', 'actorDisplayName', 'threatDisplayName',
        'threatFamilyName', 'evidence',
      ].map((key) => [key, null]),
    );
    const alert = normalisedOne(graphAlert(nulls));
    expect(alert).toMatchObject({ description: '', title: 'Microsoft Graph security alert da638342176938104367_1', techniques: [] });
    expect(alert.vendorSeverity).toBeUndefined();
  });

  test('null inside evidence (hashes, accounts, lists) is accepted', () => {
    const item = evidence('processEvidence', {
      processId: null,
      processCommandLine: null,
      imageFile: { fileName: 'a.exe', sha1: null, sha256: null, md5: null, filePath: null },
      parentProcessImageFile: null,
      userAccount: { accountName: null, domainName: null, userPrincipalName: null, userSid: null, azureAdUserId: null },
      roles: null,
    });
    expect(normalisedOne(graphAlert({ evidence: [item] })).entities.processes).toEqual([{ imagePath: 'a.exe' }]);
  });

  test('unknown properties, at the top and in evidence, are no error and stay in raw', () => {
    const body = graphAlert({ aiSummary: { text: 'new in 2027' }, evidence: [evidence('ipEvidence', { ipAddress: '10.0.0.1', asn: 64496 })] });
    const alert = normalisedOne(body);
    expect(alert.raw).toEqual(body);
  });

  test('determination and classification accept either documented value set, or any new value', () => {
    for (const determination of ['confirmedActivity', 'confirmedUserActivity', 'compromisedAccount', 'somethingNew', 'unknownFutureValue']) {
      expect(parsedAlerts(graphAlert({ determination, classification: 'unknownFutureValue' }))[0]?.determination).toBe(determination);
    }
  });

  test('an invalid IP in evidence is dropped, the rest of the alert kept', () => {
    const alert = normalisedOne(
      graphAlert({
        evidence: [
          evidence('ipEvidence', { ipAddress: '999.1.1.1' }),
          evidence('ipEvidence', { ipAddress: '10.0.0.1/24' }),
          evidence('ipEvidence', { ipAddress: '192.0.2.8' }),
          evidence('analyzedMessageEvidence', { senderIp: 'unknown', recipientEmailAddress: 'mia@corp.example' }),
          evidence('deviceEvidence', { deviceDnsName: 'ws-1', ipInterfaces: ['fe80::1%12', '10.0.0.9'] }),
        ],
      }),
    );
    expect(alert.entities.ips).toEqual([{ address: '192.0.2.8', role: 'unknown' }]);
    expect(alert.entities.users).toEqual([{ name: 'mia@corp.example' }]);
    expect(alert.entities.hosts).toEqual([{ hostname: 'ws-1', ips: ['10.0.0.9'] }]);
  });
});
