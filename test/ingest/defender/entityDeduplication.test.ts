/** The same user, host, IP, file or URL named by several evidence items becomes one entity, completed from all of them. */
import { AlertEntityCollector, MAX_ENTITIES_PER_KIND, MAX_IPS_PER_HOST } from '../../../ingest/defender/alertEntityCollector';
import { entitiesOf, evidence } from './graphAlerts';

const ip = (ipAddress: string) => ({ '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress });

describe('users', () => {
  test('a logged-on user, a process account and user evidence for the same person become one user', () => {
    const account = { accountName: 'j.becker', domainName: 'NORDWIND', userPrincipalName: 'j.becker@corp.example', userSid: 'S-1-5-21-9' };
    const { users } = entitiesOf(
      evidence('deviceEvidence', { deviceDnsName: 'ws-1', loggedOnUsers: [{ accountName: 'J.Becker', domainName: 'nordwind' }] }),
      evidence('processEvidence', { processId: 1, userAccount: account }),
      evidence('userEvidence', { userAccount: { ...account, azureAdUserId: '9a4b2c71-3d5e-4f60-8a1b-2c3d4e5f6a7b' } }),
    );
    expect(users).toEqual([
      { name: 'J.Becker', domain: 'nordwind', upn: 'j.becker@corp.example', sid: 'S-1-5-21-9', azureAdObjectId: '9a4b2c71-3d5e-4f60-8a1b-2c3d4e5f6a7b' },
    ]);
  });

  test('a recipient address and the mailbox with that UPN become one user named by its account', () => {
    const { users } = entitiesOf(
      evidence('analyzedMessageEvidence', { recipientEmailAddress: 'mia@corp.example' }),
      evidence('mailboxEvidence', { upn: 'mia@corp.example', userAccount: { accountName: 'mia', userPrincipalName: 'mia@corp.example' } }),
    );
    expect(users).toEqual([{ name: 'mia', upn: 'mia@corp.example' }]);
  });

  test('the same account name in two domains, or two different UPNs, stay two users', () => {
    expect(
      entitiesOf(
        evidence('userEvidence', { userAccount: { accountName: 'admin', domainName: 'CORP' } }),
        evidence('userEvidence', { userAccount: { accountName: 'admin', domainName: 'LAB' } }),
      ).users,
    ).toHaveLength(2);
    expect(
      entitiesOf(
        evidence('userEvidence', { userAccount: { accountName: 'jdoe', userPrincipalName: 'jdoe@a.example' } }),
        evidence('userEvidence', { userAccount: { accountName: 'jdoe', userPrincipalName: 'jdoe@b.example' } }),
      ).users,
    ).toHaveLength(2);
  });
});

describe('hosts', () => {
  test('the same device by id, or by short name and FQDN, is one host with the union of its IPs', () => {
    const { hosts } = entitiesOf(
      evidence('deviceEvidence', { mdeDeviceId: 'd'.repeat(40), deviceDnsName: 'ws-1.corp.example', ipInterfaces: ['10.0.0.1'] }),
      evidence('deviceEvidence', { mdeDeviceId: 'd'.repeat(40), deviceDnsName: 'WS-1.corp.example', ipInterfaces: ['10.0.0.1', '10.0.0.2'] }),
      evidence('cloudLogonSessionEvidence', { deviceName: 'ws-1', operatingSystem: 'Windows 11' }),
    );
    expect(hosts).toEqual([{ hostname: 'ws-1.corp.example', deviceId: 'd'.repeat(40), ips: ['10.0.0.1', '10.0.0.2'], os: 'Windows 11' }]);
  });

  test('two FQDNs with the same first label are two hosts', () => {
    expect(
      entitiesOf(evidence('deviceEvidence', { deviceDnsName: 'ws-1.a.example' }), evidence('deviceEvidence', { deviceDnsName: 'ws-1.b.example' })).hosts,
    ).toHaveLength(2);
  });
});

describe('IPs, files and URLs', () => {
  test('one IP seen as plain evidence and as a connection source is one IP with the known role', () => {
    const { ips } = entitiesOf(
      evidence('ipEvidence', { ipAddress: '203.0.113.9', countryLetterCode: 'US' }),
      evidence('networkConnectionEvidence', { sourceAddress: ip('203.0.113.9'), destinationAddress: ip('10.0.0.1') }),
    );
    expect(ips).toEqual([
      { address: '203.0.113.9', role: 'source', countryCode: 'US' },
      { address: '10.0.0.1', role: 'destination' },
    ]);
  });

  test('files with a shared hash merge, completing each other; a hash-only file takes the real name', () => {
    const sha1 = 'a'.repeat(40);
    const sha256 = 'b'.repeat(64);
    const { files } = entitiesOf(
      evidence('fileHashEvidence', { algorithm: 'sha256', value: sha256 }),
      evidence('fileEvidence', { fileDetails: { fileName: 'evil.exe', filePath: 'C:\\Temp', sha256, sha1: null } }),
      evidence('fileEvidence', { fileDetails: { fileName: 'evil.exe', filePath: 'C:\\Temp', sha256, sha1 } }),
    );
    expect(files).toEqual([{ name: 'evil.exe', path: 'C:\\Temp\\evil.exe', sha1, sha256 }]);
  });

  test('files without comparable hashes merge by name and path; different hashes stay apart', () => {
    expect(
      entitiesOf(
        evidence('fileEvidence', { fileDetails: { fileName: 'a.exe', filePath: 'C:\\x', sha1: 'a'.repeat(40) } }),
        evidence('fileEvidence', { fileDetails: { fileName: 'A.EXE', filePath: 'c:\\X', sha256: 'b'.repeat(64) } }),
      ).files,
    ).toHaveLength(1);
    expect(
      entitiesOf(
        evidence('fileEvidence', { fileDetails: { fileName: 'a.exe', sha1: 'a'.repeat(40) } }),
        evidence('fileEvidence', { fileDetails: { fileName: 'a.exe', sha1: 'f'.repeat(40) } }),
      ).files,
    ).toHaveLength(2);
  });

  test('a URL named by url evidence and by a message is one URL', () => {
    const { urls } = entitiesOf(
      evidence('urlEvidence', { url: 'https://phish.example/a' }),
      evidence('analyzedMessageEvidence', { urls: ['https://phish.example/a', 'https://phish.example/b'] }),
    );
    expect(urls).toEqual([{ url: 'https://phish.example/a' }, { url: 'https://phish.example/b' }]);
  });

  test('the same process reported twice is one process', () => {
    const process = evidence('processEvidence', { processId: 9, processCommandLine: 'x.exe' });
    expect(entitiesOf(process, process).processes).toEqual([{ pid: 9, commandLine: 'x.exe' }]);
  });
});

describe('limits of the normalised alert', () => {
  test('more than 500 entities of a kind are cut to 500, more than 64 IPs on a host to 64', () => {
    const collector = new AlertEntityCollector();
    for (let i = 0; i < MAX_ENTITIES_PER_KIND + 20; i++) collector.addUrl(`https://x.example/${i}`);
    const ips = Array.from({ length: MAX_IPS_PER_HOST + 10 }, (_, i) => `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    collector.addHost({ hostname: 'big', ips });
    const entities = collector.entities();
    expect(entities.urls).toHaveLength(MAX_ENTITIES_PER_KIND);
    expect(entities.hosts[0]?.ips).toHaveLength(MAX_IPS_PER_HOST);
  });
});
