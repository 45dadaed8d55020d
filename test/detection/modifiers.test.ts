/** Sigma value matching and every supported field modifier, over flat events. */
import { base64OffsetVariants } from '../../detection/sigma/encodings';
import { detects, selection } from './sigmaRuleBuilder';

const b64 = (text: string, encoding: BufferEncoding = 'utf8') => Buffer.from(text, encoding).toString('base64');

describe('plain values', () => {
  test('strings match the whole value, case-insensitively', () => {
    const match = selection({ 'user.name': 'J.Becker' });
    expect(match({ 'user.name': 'j.becker' })).toBe(true);
    expect(match({ 'user.name': 'J.BECKER' })).toBe(true);
    expect(match({ 'user.name': 'j.becker2' })).toBe(false);
    expect(match({ 'user.name': 'x j.becker' })).toBe(false);
  });

  test('* matches any run of characters and ? exactly one', () => {
    const star = selection({ 'host.name': 'WS-*-de' });
    expect(star({ 'host.name': 'ws-0231-de' })).toBe(true);
    expect(star({ 'host.name': 'WS--DE' })).toBe(true);
    expect(star({ 'host.name': 'ws-0231-at' })).toBe(false);
    const one = selection({ 'host.name': 'WS-02?1' });
    expect(one({ 'host.name': 'ws-0231' })).toBe(true);
    expect(one({ 'host.name': 'ws-021' })).toBe(false);
    expect(one({ 'host.name': 'ws-02311' })).toBe(false);
  });

  test('a backslash escapes * ? and itself; before any other character it is literal', () => {
    expect(selection({ f: 'what\\?' })({ f: 'what?' })).toBe(true);
    expect(selection({ f: 'what\\?' })({ f: 'whatx' })).toBe(false);
    expect(selection({ f: 'a\\*b' })({ f: 'a*b' })).toBe(true);
    expect(selection({ f: 'a\\*b' })({ f: 'axxb' })).toBe(false);
    // A Windows path: single backslashes are literal.
    expect(selection({ f: 'C:\\Windows\\System32\\cmd.exe' })({ f: 'c:\\windows\\system32\\CMD.EXE' })).toBe(true);
    // `\\*`: an escaped backslash, then a wildcard.
    const folder = selection({ f: 'C:\\Temp\\\\*' });
    expect(folder({ f: 'C:\\Temp\\evil.exe' })).toBe(true);
    expect(folder({ f: 'C:\\Temp' })).toBe(false);
  });

  test('wildcards and regex characters in values are not regex syntax', () => {
    const match = selection({ f: '*(a+b)[1]*' });
    expect(match({ f: 'x (a+b)[1] y' })).toBe(true);
    expect(match({ f: 'x aab1 y' })).toBe(false);
  });

  test('a list of values is OR; several fields in a map are AND', () => {
    const match = selection({ 'process.image|endswith': ['\\cmd.exe', '\\powershell.exe'], 'user.name': 'admin' });
    expect(match({ 'process.image': 'C:\\Windows\\cmd.exe', 'user.name': 'Admin' })).toBe(true);
    expect(match({ 'process.image': 'C:\\Windows\\powershell.exe', 'user.name': 'admin' })).toBe(true);
    expect(match({ 'process.image': 'C:\\Windows\\powershell.exe', 'user.name': 'guest' })).toBe(false);
    expect(match({ 'process.image': 'C:\\Windows\\notepad.exe', 'user.name': 'admin' })).toBe(false);
  });

  test('a list of maps is OR of the maps', () => {
    const match = selection([{ a: 'x', b: 'y' }, { c: 'z' }]);
    expect(match({ a: 'x', b: 'y' })).toBe(true);
    expect(match({ c: 'z' })).toBe(true);
    expect(match({ a: 'x', c: 'q' })).toBe(false);
  });

  test('a list-valued event field matches when any element does', () => {
    const match = selection({ ip: '10.0.0.5' });
    expect(match({ ip: ['192.0.2.1', '10.0.0.5'] })).toBe(true);
    expect(match({ ip: ['192.0.2.1'] })).toBe(false);
    expect(match({ ip: [] })).toBe(false);
  });

  test('null matches a missing field, a null value or an empty list, not a present value', () => {
    const match = selection({ 'user.upn': null });
    expect(match({})).toBe(true);
    expect(match({ 'user.upn': null })).toBe(true);
    expect(match({ 'user.upn': [] })).toBe(true);
    expect(match({ 'user.upn': ['a@example.com', null] })).toBe(true);
    expect(match({ 'user.upn': 'a@example.com' })).toBe(false);
    expect(match({ 'user.upn': '' })).toBe(false);
  });

  test('null in a list of values is one of the alternatives', () => {
    const match = selection({ status: [null, 'disabled'] });
    expect(match({})).toBe(true);
    expect(match({ status: 'DISABLED' })).toBe(true);
    expect(match({ status: 'enabled' })).toBe(false);
  });

  test('an empty string matches only an empty value', () => {
    const match = selection({ f: '' });
    expect(match({ f: '' })).toBe(true);
    expect(match({ f: 'x' })).toBe(false);
    expect(match({})).toBe(false);
  });

  test('numbers and booleans match their text form, whatever type the event uses', () => {
    const number = selection({ EventID: 4624 });
    expect(number({ EventID: 4624 })).toBe(true);
    expect(number({ EventID: '4624' })).toBe(true);
    expect(number({ EventID: 46240 })).toBe(false);
    const flag = selection({ elevated: true });
    expect(flag({ elevated: true })).toBe(true);
    expect(flag({ elevated: 'True' })).toBe(true);
    expect(flag({ elevated: false })).toBe(false);
  });

  test('a lone * matches any present value but not a missing or null field', () => {
    const match = selection({ f: '*' });
    expect(match({ f: '' })).toBe(true);
    expect(match({ f: 'x' })).toBe(true);
    expect(match({ f: null })).toBe(false);
    expect(match({})).toBe(false);
  });

  test('inherited object properties are not fields', () => {
    expect(selection({ 'constructor|exists': true })({})).toBe(false);
    expect(selection({ constructor: '*' })({})).toBe(false);
    expect(selection({ toString: null })({})).toBe(true);
  });
});

describe('contains, startswith, endswith', () => {
  test('place the value anywhere, at the start or at the end, case-insensitively', () => {
    expect(selection({ 'f|contains': 'LSASS' })({ f: 'procdump -ma lsass.exe' })).toBe(true);
    expect(selection({ 'f|contains': 'lsass' })({ f: 'procdump' })).toBe(false);
    expect(selection({ 'f|startswith': 'Power' })({ f: 'powershell -nop' })).toBe(true);
    expect(selection({ 'f|startswith': 'shell' })({ f: 'powershell' })).toBe(false);
    expect(selection({ 'f|endswith': '\\CMD.exe' })({ f: 'C:\\Windows\\cmd.exe' })).toBe(true);
    expect(selection({ 'f|endswith': '.exe' })({ f: 'a.exe.txt' })).toBe(false);
  });

  test('keep wildcards inside the value', () => {
    const match = selection({ 'f|contains': 'vssadmin*delete' });
    expect(match({ f: 'cmd /c VSSADMIN.exe Delete Shadows /all' })).toBe(true);
    expect(match({ f: 'delete vssadmin' })).toBe(false);
  });

  test('all turns the list into AND: every value must appear', () => {
    const match = selection({ 'f|contains|all': ['procdump', 'lsass'] });
    expect(match({ f: 'procdump64 -ma LSASS.exe' })).toBe(true);
    expect(match({ f: 'procdump64 -ma explorer.exe' })).toBe(false);
  });

  test('with all, the values may be found in different elements of a list field', () => {
    const match = selection({ 'f|contains|all': ['alpha', 'beta'] });
    expect(match({ f: ['alpha one', 'beta two'] })).toBe(true);
    expect(match({ f: ['alpha one', 'gamma'] })).toBe(false);
  });
});

describe('cased', () => {
  test('matches case-sensitively', () => {
    const match = selection({ 'f|cased|contains': ' JAB' });
    expect(match({ f: 'powershell -enc JABzAD0A' })).toBe(true);
    expect(match({ f: 'powershell -enc jabzad0a' })).toBe(false);
    expect(selection({ 'f|cased': 'Admin' })({ f: 'admin' })).toBe(false);
  });
});

describe('re', () => {
  test('searches anywhere in the value, case-sensitively by default', () => {
    const match = selection({ 'f|re': 'port ?scan' });
    expect(match({ f: 'TCP port scan detected' })).toBe(true);
    expect(match({ f: 'TCP Port Scan detected' })).toBe(false);
  });

  test('sub-modifiers i, m and s set the regex flags', () => {
    expect(selection({ 'f|re|i': 'port ?scan' })({ f: 'PORTSCAN' })).toBe(true);
    expect(selection({ 'f|re': '^second$' })({ f: 'first\nsecond' })).toBe(false);
    expect(selection({ 'f|re|m': '^second$' })({ f: 'first\nsecond' })).toBe(true);
    expect(selection({ 'f|re': 'a.b' })({ f: 'a\nb' })).toBe(false);
    expect(selection({ 'f|re|s': 'a.b' })({ f: 'a\nb' })).toBe(true);
  });

  test('a leading PCRE (?i) becomes the i flag', () => {
    expect(selection({ 'f|re': '(?i)mimikatz' })({ f: 'MimiKatz.exe' })).toBe(true);
  });

  test('a list of regexes is OR, with all AND', () => {
    expect(selection({ 'f|re': ['^a', 'z$'] })({ f: 'xyz' })).toBe(true);
    expect(selection({ 'f|re|all': ['^a', 'z$'] })({ f: 'xyz' })).toBe(false);
    expect(selection({ 'f|re|all': ['^a', 'z$'] })({ f: 'abz' })).toBe(true);
  });

  test('numbers are matched in their text form', () => {
    expect(selection({ 'port|re': '^44[35]$' })({ port: 443 })).toBe(true);
  });
});

describe('cidr', () => {
  test('matches IPv4 addresses inside the range', () => {
    const match = selection({ 'dst_ip|cidr': '203.0.113.0/24' });
    expect(match({ dst_ip: '203.0.113.77' })).toBe(true);
    expect(match({ dst_ip: '203.0.114.1' })).toBe(false);
    expect(match({ dst_ip: ['10.1.1.1', '203.0.113.1'] })).toBe(true);
  });

  test('honours prefixes that are not on an octet boundary, and /0 and /32', () => {
    const match = selection({ 'ip|cidr': '198.51.100.64/26' });
    expect(match({ ip: '198.51.100.64' })).toBe(true);
    expect(match({ ip: '198.51.100.127' })).toBe(true);
    expect(match({ ip: '198.51.100.128' })).toBe(false);
    expect(match({ ip: '198.51.100.63' })).toBe(false);
    expect(selection({ 'ip|cidr': '0.0.0.0/0' })({ ip: '8.8.8.8' })).toBe(true);
    expect(selection({ 'ip|cidr': '192.0.2.1/32' })({ ip: '192.0.2.1' })).toBe(true);
    expect(selection({ 'ip|cidr': '192.0.2.1/32' })({ ip: '192.0.2.2' })).toBe(false);
  });

  test('matches IPv6 addresses, in any notation', () => {
    const match = selection({ 'ip|cidr': '2001:db8:c2::/48' });
    expect(match({ ip: '2001:db8:c2::1' })).toBe(true);
    expect(match({ ip: '2001:0DB8:00C2:0000:0000:0000:0000:0001' })).toBe(true);
    expect(match({ ip: '2001:db8:c3::1' })).toBe(false);
    expect(match({ ip: '203.0.113.1' })).toBe(false);
  });

  test('an IPv4 range matches IPv4-mapped IPv6 addresses', () => {
    expect(selection({ 'ip|cidr': '203.0.113.0/24' })({ ip: '::ffff:203.0.113.9' })).toBe(true);
  });

  test('values that are not addresses never match', () => {
    const match = selection({ 'ip|cidr': '0.0.0.0/0' });
    expect(match({ ip: 'not an ip' })).toBe(false);
    expect(match({ ip: '127.1' })).toBe(false);
    expect(match({ ip: 3232235777 })).toBe(false);
    expect(match({})).toBe(false);
  });

  test('a list of ranges is OR', () => {
    const match = selection({ 'ip|cidr': ['203.0.113.0/24', '2001:db8::/32'] });
    expect(match({ ip: '2001:db8::5' })).toBe(true);
    expect(match({ ip: '203.0.113.5' })).toBe(true);
    expect(match({ ip: '192.0.2.5' })).toBe(false);
  });
});

describe('base64 and base64offset', () => {
  test('base64 matches the encoded value (case-sensitively: base64 is)', () => {
    const match = selection({ 'f|base64': 'whoami /all' });
    expect(match({ f: b64('whoami /all') })).toBe(true);
    expect(match({ f: b64('whoami /all').toLowerCase() })).toBe(false);
    expect(selection({ 'f|base64|contains': 'whoami' })({ f: `echo ${b64('whoami')} | base64 -d` })).toBe(true);
  });

  test('base64offset yields the three shifted forms Sigma defines', () => {
    expect(base64OffsetVariants(Buffer.from('/bin/bash'))).toEqual(['L2Jpbi9iYXNo', '9iaW4vYmFza', 'vYmluL2Jhc2']);
  });

  test('base64offset|contains finds the value at every byte offset of a longer encoded text', () => {
    const match = selection({ 'f|base64offset|contains': 'Invoke-Mimikatz' });
    for (const prefix of ['', 'x', 'xy', 'xyz', 'IEX; ']) {
      expect(match({ f: `powershell -enc ${b64(`${prefix}Invoke-Mimikatz -Dump`)}` })).toBe(true);
    }
    expect(match({ f: `powershell -enc ${b64('Invoke-WebRequest')}` })).toBe(false);
  });

  test('wide (utf16le) encodes the value as PowerShell -EncodedCommand does', () => {
    const match = selection({ 'f|wide|base64offset|contains': 'DownloadString' });
    for (const prefix of ['', 'a', 'ab']) {
      expect(match({ f: `powershell -enc ${b64(`${prefix}(New-Object Net.WebClient).DownloadString('http://x')`, 'utf16le')}` })).toBe(true);
    }
    expect(match({ f: `powershell -enc ${b64("(New-Object Net.WebClient).DownloadString('http://x')")}` })).toBe(false);
  });

  test('utf16be and utf16 (with byte order mark) encode as their names say', () => {
    const be = Buffer.from('cmd', 'utf16le').swap16().toString('base64');
    expect(selection({ 'f|utf16be|base64': 'cmd' })({ f: be })).toBe(true);
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('cmd', 'utf16le')]).toString('base64');
    expect(selection({ 'f|utf16|base64': 'cmd' })({ f: bom })).toBe(true);
  });
});

describe('windash', () => {
  const match = selection({ 'f|windash|contains': ' -ma ' });

  test('a dash that starts a parameter also matches slash, en dash, em dash and horizontal bar', () => {
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      expect(match({ f: `procdump ${dash}ma lsass.exe` })).toBe(true);
    }
    expect(match({ f: 'procdump +ma lsass.exe' })).toBe(false);
  });

  test('a dash inside a word is left as it is', () => {
    const inWord = selection({ 'f|windash|contains': 'Invoke-Expression' });
    expect(inWord({ f: 'Invoke-Expression' })).toBe(true);
    expect(inWord({ f: 'Invoke/Expression' })).toBe(false);
  });

  test('a value written with a slash matches a dash in the event', () => {
    expect(selection({ 'f|windash|contains': ' /c ' })({ f: 'cmd.exe -c whoami' })).toBe(true);
  });
});

describe('exists', () => {
  test('true needs the field present, false needs it absent; presence counts even when null', () => {
    const present = selection({ 'src_ip|exists': true });
    const absent = selection({ 'src_ip|exists': false });
    expect(present({ src_ip: ['192.0.2.1'] })).toBe(true);
    expect(present({ src_ip: null })).toBe(true);
    expect(present({})).toBe(false);
    expect(absent({})).toBe(true);
    expect(absent({ src_ip: '192.0.2.1' })).toBe(false);
  });
});

describe('lt, lte, gt, gte', () => {
  test('compare numbers and numeric strings', () => {
    expect(selection({ 'count|gt': 10 })({ count: 11 })).toBe(true);
    expect(selection({ 'count|gt': 10 })({ count: 10 })).toBe(false);
    expect(selection({ 'count|gte': 10 })({ count: '10' })).toBe(true);
    expect(selection({ 'count|lt': 10 })({ count: 9.5 })).toBe(true);
    expect(selection({ 'count|lt': 10 })({ count: '10' })).toBe(false);
    expect(selection({ 'count|lte': 10 })({ count: [50, 10] })).toBe(true);
  });

  test('values that are not numbers never match', () => {
    const match = selection({ 'count|gte': 0 });
    expect(match({ count: 'many' })).toBe(false);
    expect(match({ count: '' })).toBe(false);
    expect(match({ count: true })).toBe(false);
    expect(match({})).toBe(false);
  });

  test('a range is two fields of one selection', () => {
    const match = detects({ low: { 'port|gte': 1024 }, high: { 'port|lte': 49151 }, condition: 'low and high' });
    expect(match({ port: 8080 })).toBe(true);
    expect(match({ port: 80 })).toBe(false);
    expect(match({ port: 50000 })).toBe(false);
  });
});

describe('keywords', () => {
  test('a list of plain strings finds any of them inside any value of any field', () => {
    const match = selection(['mimikatz', 'sekurlsa::*passwords']);
    expect(match({ title: 'Alert', 'process.command_line': ['x', 'SEKURLSA::LogonPasswords'] })).toBe(true);
    expect(match({ description: 'Mimikatz was blocked' })).toBe(true);
    expect(match({ description: 'nothing here' })).toBe(false);
  });

  test("'|all' requires every keyword somewhere in the event", () => {
    const match = selection({ '|all': ['OabVirtualDirectory', ' -ExternalUrl '] });
    expect(match({ a: 'Set-OabVirtualDirectory', b: 'x -ExternalUrl https://evil' })).toBe(true);
    expect(match({ a: 'Set-OabVirtualDirectory' })).toBe(false);
  });

  test('numbers are keywords in their text form', () => {
    expect(selection([4625])({ EventID: 4625 })).toBe(true);
  });
});
