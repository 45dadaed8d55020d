/**
 * `npm run bench:detect`: events/s on one core through the Sigma rule set for 100 and 1,000 loaded rules, against
 * a naive strategy (every rule compiled alone, its logsource compared and its detection evaluated on every event)
 * and a no-op pass, measured in the same run; then the same sets with Sigma correlation rules over them, evaluated
 * as the event intake does (matches, then the correlation windows).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { compileMappings } from '../detection/eventMapping';
import { CorrelationState } from '../detection/sigma/correlation';
import { compileRules, type RuleSet, type SigmaEvent, type SigmaLogsource } from '../detection/sigma/ruleSet';

const REPO = resolve(__dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1.5);
const RULE_COUNTS = [100, 1000];

/** A small deterministic generator (mulberry32), so every run measures the same rules and events. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const some = <T>(rand: Rand, items: readonly T[], max: number): T[] => {
  const count = 1 + Math.floor(rand() * Math.min(max, items.length));
  return [...new Set(Array.from({ length: count }, () => pick(rand, items)))];
};

// Vocabularies close to what SigmaHQ rules and real events carry.
const BINARIES = ['powershell.exe', 'pwsh.exe', 'cmd.exe', 'rundll32.exe', 'regsvr32.exe', 'mshta.exe', 'wscript.exe', 'cscript.exe', 'certutil.exe', 'bitsadmin.exe', 'schtasks.exe', 'wmic.exe', 'net.exe', 'net1.exe', 'reg.exe', 'vssadmin.exe', 'bcdedit.exe', 'wbadmin.exe', 'msiexec.exe', 'procdump.exe', 'psexec.exe', 'at.exe', 'sc.exe', 'nltest.exe', 'whoami.exe', 'curl.exe', 'explorer.exe', 'svchost.exe', 'winword.exe', 'excel.exe', 'outlook.exe', 'chrome.exe', 'teams.exe', 'msedge.exe'];
const CMD_WORDS = ['-enc', '-nop', '-w hidden', 'downloadstring', 'invoke-expression', 'iex', '/c', 'shadowcopy delete', 'delete shadows', '/quiet', 'add', 'user', '/domain', 'export', 'hklm\\sam', 'comsvcs.dll', 'minidump', '-urlcache', '-decode', '/transfer', '/create', '/sc minute', 'http://', 'https://', 'javascript:', 'vbscript:', 'scrobj.dll', 'recoveryenabled no', 'ignoreallfailures', 'lsass', 'sekurlsa', 'frombase64string', 'bypass', 'hidden', 'group "domain admins"', 'localgroup administrators', '/dclist', 'trusted_domains'];
const BENIGN_WORDS = ['/s', '/q', '--type=renderer', '--no-sandbox', '-Embedding', '/automation', 'C:\\Program Files\\App\\app.config', '--update', '/norestart', '-k netsvcs', '/dde', '--profile-directory=Default'];
const PARENTS = ['explorer.exe', 'winword.exe', 'excel.exe', 'outlook.exe', 'services.exe', 'wmiprvse.exe', 'svchost.exe', 'cmd.exe', 'powershell.exe', 'mshta.exe'];
const APPS = ['Office 365 Exchange Online', 'Microsoft Teams', 'Azure Portal', 'Microsoft Graph PowerShell', 'Azure Active Directory PowerShell', 'OfficeHome', 'SharePoint Online', 'Microsoft Authentication Broker'];
const COUNTRIES = ['DE', 'AT', 'CH', 'NL', 'US', 'RU', 'CN', 'KP', 'IR', 'BR', 'NG'];
const CLIENT_APPS = ['Browser', 'Mobile Apps and Desktop clients', 'Exchange ActiveSync', 'Other clients', 'IMAP4', 'POP3', 'SMTP', 'Authenticated SMTP'];
const ERROR_CODES = [0, 50053, 50055, 50057, 50074, 50076, 50126, 50140, 53003, 500121];
const PORTS = [21, 22, 23, 25, 53, 80, 88, 135, 139, 389, 443, 445, 1433, 3306, 3389, 4444, 5900, 5985, 8080, 8443];
const RANGES = ['185.220.100.0/22', '45.155.205.0/24', '91.240.118.0/24', '194.26.29.0/24', '103.75.190.0/24', '5.188.206.0/24', '193.142.146.0/24'];
const OTHER_LOGSOURCES: SigmaLogsource[] = [
  { product: 'windows', category: 'registry_set' },
  { product: 'windows', category: 'file_event' },
  { product: 'windows', service: 'security' },
  { product: 'linux', category: 'process_creation' },
  { category: 'dns' },
  { category: 'proxy' },
  { product: 'aws', service: 'cloudtrail' },
];

const PROCESS: SigmaLogsource = { product: 'windows', category: 'process_creation' };
const SIGNIN: SigmaLogsource = { product: 'azure', service: 'signinlogs' };

type Detection = Record<string, unknown>;

function processDetection(rand: Rand): Detection {
  const images = some(rand, BINARIES, 3).map((b) => `\\${b}`);
  const selection: Record<string, unknown> = {};
  const shape = rand();
  if (shape < 0.5) selection['Image|endswith'] = images;
  else if (shape < 0.75) selection['OriginalFileName'] = some(rand, BINARIES, 3).map((b) => b.toUpperCase());
  else selection['Image|endswith'] = images[0];
  const words = some(rand, CMD_WORDS, 4);
  const cmd = rand();
  const selCmd: Record<string, unknown> =
    cmd < 0.45 ? { 'CommandLine|contains': words }
    : cmd < 0.65 ? { 'CommandLine|contains|all': words.length > 1 ? words : [...words, '/c'] }
    : cmd < 0.75 ? { 'CommandLine|windash|contains': ['-enc', '-e ', '-ec '] }
    : cmd < 0.82 ? { 'CommandLine|base64offset|contains': some(rand, ['IEX', 'Invoke-Mimikatz', 'DownloadString', 'http://'], 2) }
    : cmd < 0.9 ? { 'CommandLine|re': `(?i)${pick(rand, CMD_WORDS).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}\\s+\\S+` }
    : { 'CommandLine|startswith': words.map((w) => `"C:\\Windows\\${w}`) };
  const detection: Detection = { selection_img: selection, selection_cmd: selCmd };
  const filter = rand();
  if (filter < 0.4) {
    detection.filter_parent = { 'ParentImage|endswith': some(rand, PARENTS, 2).map((p) => `\\${p}`) };
    detection.condition = 'all of selection_* and not 1 of filter_*';
  } else if (filter < 0.6) {
    detection.selection_parent = { 'ParentImage|endswith': some(rand, PARENTS, 3).map((p) => `\\${p}`) };
    detection.condition = 'all of selection_*';
  } else if (filter < 0.7) {
    detection.filter_system = { User: ['NT AUTHORITY\\SYSTEM', 'SYSTEM'], IntegrityLevel: 'System' };
    detection.condition = 'selection_img and selection_cmd and not filter_system';
  } else {
    detection.condition = 'selection_img and selection_cmd';
  }
  return detection;
}

function signinDetection(rand: Rand): Detection {
  const shape = rand();
  const detection: Detection = {};
  if (shape < 0.3) {
    detection.selection = { ResultType: some(rand, ERROR_CODES.filter((c) => c !== 0), 3), 'AppDisplayName': some(rand, APPS, 2) };
    detection.condition = 'selection';
  } else if (shape < 0.55) {
    detection.selection = { ClientAppUsed: some(rand, CLIENT_APPS.slice(2), 3), ResultType: 0 };
    detection.filter_country = { 'Location.CountryOrRegion': ['DE', 'AT', 'CH'] };
    detection.condition = 'selection and not filter_country';
  } else if (shape < 0.75) {
    detection.selection_ip = { 'IPAddress|cidr': some(rand, RANGES, 3) };
    detection.selection_user = { 'UserPrincipalName|endswith': pick(rand, ['@contoso.com', '@fabrikam.de', '@example.org']) };
    detection.condition = '1 of selection_* and not filter_ok';
    detection.filter_ok = { RiskLevelDuringSignIn: 'none' };
  } else if (shape < 0.9) {
    detection.selection = { 'RiskLevelDuringSignIn': ['high', 'medium'], 'Location.CountryOrRegion': some(rand, COUNTRIES.slice(4), 3) };
    detection.condition = 'selection';
  } else {
    detection.selection = { 'AuthenticationRequirement': 'singleFactorAuthentication', 'AppDisplayName|contains': some(rand, ['PowerShell', 'Graph', 'Portal'], 2), 'ConditionalAccessStatus|exists': true };
    detection.condition = 'selection';
  }
  return detection;
}

function firewallDetection(rand: Rand): Detection {
  const shape = rand();
  const detection: Detection = {};
  if (shape < 0.35) {
    detection.selection = { action: pick(rand, ['block', 'allow']), dst_port: some(rand, PORTS, 4) };
    detection.filter_outbound = { direction: 'outbound' };
    detection.condition = 'selection and not filter_outbound';
  } else if (shape < 0.6) {
    detection.selection = { 'dst_ip|cidr': some(rand, RANGES, 3), action: 'allow' };
    detection.condition = 'selection';
  } else if (shape < 0.8) {
    detection.selection = { 'src_ip|cidr': some(rand, RANGES, 2), 'dst_port|lt': 1024 };
    detection.filter_internal = { 'dst_ip|cidr': ['10.0.0.0/8', '192.168.0.0/16'] };
    detection.condition = 'selection and not filter_internal';
  } else {
    detection.selection = { protocol: pick(rand, ['tcp', 'udp']), 'dst_port|gte': 49152, 'src_port|lte': 1024 };
    detection.condition = 'selection';
  }
  return detection;
}

function otherDetection(rand: Rand): Detection {
  return {
    selection: { [`${pick(rand, ['TargetObject', 'TargetFilename', 'query', 'c-uri', 'eventName', 'CommandLine'])}|contains`]: some(rand, CMD_WORDS, 3) },
    condition: 'selection',
  };
}

const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];

/** `count` rules: 40 % process creation, 20 % sign-ins, 15 % firewall, 25 % logsources the event mix never has. */
function syntheticRules(count: number): { file: string; text: string }[] {
  const rand = random(count);
  return Array.from({ length: count }, (_, i) => {
    const kind = rand();
    const [logsource, detection] =
      kind < 0.4 ? [PROCESS, processDetection(rand)]
      : kind < 0.6 ? [SIGNIN, signinDetection(rand)]
      : kind < 0.75 ? [{ category: 'firewall' }, firewallDetection(rand)]
      : [pick(rand, OTHER_LOGSOURCES), otherDetection(rand)];
    const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    const rule = { title: `Synthetic rule ${i}`, id, status: 'test', logsource, detection, level: pick(rand, LEVELS) };
    return { file: `synthetic/rule-${i}.yml`, text: stringify(rule) };
  });
}

interface BenchEvent {
  event: SigmaEvent;
  logsource: SigmaLogsource;
}

/** 40 % endpoint processes, 30 % sign-ins, 30 % filterlog lines mapped with the shipped OPNsense mapping. */
function eventMix(count: number): BenchEvent[] {
  const rand = random(7);
  const mappings = compileMappings([{ file: 'opnsense.yml', text: readFileSync(join(REPO, 'detection/mappings/opnsense.yml'), 'utf8') }]);
  const opnsense = mappings.forKind('firewall-opnsense');
  if (!opnsense) throw new Error('the OPNsense mapping is missing');
  const ip = () => (rand() < 0.5 ? `10.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}.${1 + Math.floor(rand() * 250)}` : `${pick(rand, [185, 45, 91, 8, 52, 104])}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}.${1 + Math.floor(rand() * 250)}`);
  return Array.from({ length: count }, () => {
    const kind = rand();
    if (kind < 0.4) {
      const binary = pick(rand, BINARIES);
      // Most process starts are benign; one in ten carries a word that rules look for.
      const words = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(rand, rand() < 0.1 ? CMD_WORDS : BENIGN_WORDS)).join(' ');
      return {
        logsource: PROCESS,
        event: {
          Image: `C:\\Windows\\System32\\${binary}`,
          OriginalFileName: binary.toUpperCase(),
          CommandLine: `"C:\\Windows\\System32\\${binary}" ${words} C:\\Users\\alice\\AppData\\Local\\Temp\\${Math.floor(rand() * 1e6)}.tmp`,
          ParentImage: `C:\\Program Files\\${pick(rand, PARENTS)}`,
          ParentCommandLine: `${pick(rand, PARENTS)} /automation -Embedding`,
          User: pick(rand, ['CONTOSO\\alice', 'CONTOSO\\bob', 'NT AUTHORITY\\SYSTEM']),
          IntegrityLevel: pick(rand, ['Medium', 'High', 'System']),
          Hashes: 'SHA256=9F1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F,IMPHASH=0123456789ABCDEF0123456789ABCDEF',
          ProcessId: Math.floor(rand() * 60000),
          Computer: `WS-${Math.floor(rand() * 500)}.contoso.local`,
        },
      };
    }
    if (kind < 0.7) {
      return {
        logsource: SIGNIN,
        event: {
          UserPrincipalName: `${pick(rand, ['alice', 'bob', 'carol', 'admin'])}@${pick(rand, ['contoso.com', 'fabrikam.de'])}`,
          AppDisplayName: pick(rand, APPS),
          ClientAppUsed: rand() < 0.9 ? pick(rand, CLIENT_APPS.slice(0, 2)) : pick(rand, CLIENT_APPS),
          IPAddress: ip(),
          'Location.CountryOrRegion': pick(rand, COUNTRIES),
          'Location.City': pick(rand, ['Berlin', 'Wien', 'Zürich', 'Moscow', 'Lagos']),
          ResultType: rand() < 0.85 ? 0 : pick(rand, ERROR_CODES),
          ResultDescription: 'Invalid username or password or Invalid on-premise username or password.',
          RiskLevelDuringSignIn: rand() < 0.9 ? 'none' : pick(rand, ['low', 'medium', 'high']),
          AuthenticationRequirement: rand() < 0.8 ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
          ConditionalAccessStatus: pick(rand, ['success', 'notApplied', 'failure']),
          UserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
        },
      };
    }
    const mapped = opnsense.map({
      src: ip(),
      dst: ip(),
      srcport: String(1024 + Math.floor(rand() * 64000)),
      dstport: String(rand() < 0.9 ? pick(rand, [443, 443, 80, 53, 123]) : pick(rand, PORTS)),
      action: pick(rand, ['pass', 'pass', 'pass', 'block']),
      dir: pick(rand, ['in', 'out']),
      protoname: pick(rand, ['tcp', 'udp']),
      interface: pick(rand, ['igb0', 'igb1', 'vtnet0']),
      label: 'fae559338f65e11c53669fc3642c93c2',
      ipversion: '4',
    });
    if ('refused' in mapped) throw new Error(`benchmark event refused: ${mapped.refused.field} ${mapped.refused.reason}`);
    return mapped;
  });
}

/** Per logsource of the mix: the field correlations group by and the field value_count counts. */
const CORRELATION_FIELDS: { logsource: SigmaLogsource; groupBy: string; counted: string }[] = [
  { logsource: PROCESS, groupBy: 'User', counted: 'Computer' },
  { logsource: SIGNIN, groupBy: 'UserPrincipalName', counted: 'IPAddress' },
  { logsource: { category: 'firewall' }, groupBy: 'src_ip', counted: 'dst_port' },
];

/** One correlation rule per 20 detection rules (event_count, value_count, temporal, temporal_ordered in turn) over rules of the mix's logsources. */
function syntheticCorrelations(set: RuleSet): { file: string; text: string }[] {
  const rand = random(set.size + 1);
  const types = ['event_count', 'value_count', 'temporal', 'temporal_ordered'] as const;
  return Array.from({ length: Math.max(1, Math.floor(set.size / 20)) }, (_, i) => {
    const fields = pick(rand, CORRELATION_FIELDS);
    const candidates = set.rules.filter((rule) => (['product', 'category', 'service'] as const).every((key) => rule.logsource[key] === fields.logsource[key]));
    const type = types[i % types.length] ?? 'event_count';
    const rules = type.startsWith('temporal') ? [pick(rand, candidates).id, pick(rand, candidates).id] : [pick(rand, candidates).id];
    const condition = type === 'event_count' ? { gte: 5 } : type === 'value_count' ? { field: fields.counted, gte: 3 } : undefined;
    const correlation = { type, rules: [...new Set(rules)], 'group-by': [fields.groupBy], timespan: '5m', ...(condition ? { condition } : {}) };
    const id = `00000000-0000-4000-9000-${i.toString(16).padStart(12, '0')}`;
    return { file: `synthetic/correlation-${i}.yml`, text: stringify({ title: `Synthetic correlation ${i}`, id, correlation, level: 'high' }) };
  });
}

/** What the event intake does per event: the rule set, then (for events with matches) the correlation windows; events 100 ms apart. */
function correlatingEvaluator(set: RuleSet) {
  const state = new CorrelationState();
  let time = 0;
  let hits = 0;
  let correlationMs = 0;
  const evaluate = (event: SigmaEvent, logsource: SigmaLogsource): number => {
    time += 100;
    const matches = set.evaluate(event, logsource);
    if (matches.length > 0 && set.correlations.length > 0) {
      const started = performance.now();
      const key = createHash('sha256').update(`${time}\u0000${JSON.stringify(event)}`).digest('hex');
      hits += state.observe('tenant', set.correlations, matches.map((match) => match.ruleId), event, time, key).length;
      correlationMs += performance.now() - started;
    }
    return matches.length;
  };
  return { evaluate, hits: () => hits, correlationMs: () => correlationMs };
}

/** Rule-by-rule: each rule compiled alone (no shared tests, no literal index), logsource compared per rule, a fresh view per rule. */
function naiveEvaluator(rules: readonly { file: string; text: string }[]) {
  const single = rules.map((rule) => {
    const set = compileRules([rule]);
    const summary = set.rules[0];
    if (!summary) throw new Error('rule missing');
    return { set, logsource: summary.logsource };
  });
  const applies = (rule: SigmaLogsource, event: SigmaLogsource) =>
    (['product', 'category', 'service'] as const).every((key) => rule[key] === undefined || rule[key].toLowerCase() === event[key]?.toLowerCase());
  return (event: SigmaEvent, logsource: SigmaLogsource): number => {
    let matches = 0;
    for (const rule of single) if (applies(rule.logsource, logsource)) matches += rule.set.evaluate(event, logsource).length;
    return matches;
  };
}

/** Events per second for `evaluate` over the mix, best of three runs of `SECONDS` each, after a warm-up. */
function measure(events: readonly BenchEvent[], evaluate: (event: SigmaEvent, logsource: SigmaLogsource) => number): { perSecond: number; matches: number } {
  let matches = 0;
  for (const { event, logsource } of events) matches += evaluate(event, logsource);
  let best = 0;
  for (let run = 0; run < 3; run++) {
    let done = 0;
    const started = performance.now();
    while (performance.now() - started < SECONDS * 1000) {
      for (const { event, logsource } of events) evaluate(event, logsource);
      done += events.length;
    }
    best = Math.max(best, done / ((performance.now() - started) / 1000));
  }
  return { perSecond: best, matches };
}

function main(): void {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`machine: ${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${osType()} ${release()}, Node ${process.version}`);
  console.log(`one thread (events/s per core); best of 3 runs of ${SECONDS}s each`);
  const events = eventMix(2000);
  const noop = measure(events, (event) => (event === undefined ? 1 : 0));
  console.log(`no-op pass over the mix: ${Math.round(noop.perSecond).toLocaleString('en')} events/s`);
  console.log('| rules | naive (every rule, alone) | indexed rule set | indexed / naive | matches per 1,000 events |');
  console.log('|---|---|---|---|---|');
  for (const count of RULE_COUNTS) {
    const rules = syntheticRules(count);
    const set: RuleSet = compileRules(rules);
    const indexed = measure(events, (event, logsource) => set.evaluate(event, logsource).length);
    const naive = measure(events, naiveEvaluator(rules));
    if (indexed.matches !== naive.matches) throw new Error(`strategies disagree: ${indexed.matches} vs ${naive.matches} matches`);
    const fmt = (n: number) => Math.round(n).toLocaleString('en');
    console.log(`| ${count} | ${fmt(naive.perSecond)} events/s | ${fmt(indexed.perSecond)} events/s | ${(indexed.perSecond / naive.perSecond).toFixed(1)} | ${((indexed.matches / events.length) * 1000).toFixed(0)} |`);
  }
  console.log('\n| rules | correlation rules | indexed set alone | with the correlations | correlation work per event (timed inside) | correlation hits per 1,000 events |');
  console.log('|---|---|---|---|---|---|');
  for (const count of RULE_COUNTS) {
    const rules = syntheticRules(count);
    const alone = compileRules(rules);
    const correlations = syntheticCorrelations(alone);
    const withCorrelations = compileRules([...rules, ...correlations]);
    const plain = measure(events, (event, logsource) => alone.evaluate(event, logsource).length);
    const correlating = correlatingEvaluator(withCorrelations);
    const measured = measure(events, correlating.evaluate);
    // Timed inside (hash and windows), over 20 passes: the difference of two throughputs is lost in a shared machine's noise.
    const once = correlatingEvaluator(withCorrelations);
    for (let pass = 0; pass < 20; pass++) for (const { event, logsource } of events) once.evaluate(event, logsource);
    const perEvent = ((once.correlationMs() * 1000) / (events.length * 20)).toFixed(2);
    const hitsPer1000 = ((once.hits() / (events.length * 20)) * 1000).toFixed(0);
    const fmt = (n: number) => Math.round(n).toLocaleString('en');
    console.log(`| ${count} | ${correlations.length} | ${fmt(plain.perSecond)} events/s | ${fmt(measured.perSecond)} events/s | ${perEvent} µs | ${hitsPer1000} |`);
  }
}

main();
