/** Syslog framing and parsing, filterlog and FortiGate lines, sender identification (R1) and the field mappings (R12): pure functions. */
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { compileMappings, loadMappings } from '../../detection/eventMapping';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { BodyStreamError, readJsonBatch, readNdjson } from '../../api/events/eventStream';
import { parseFilterlog } from '../../ingest/syslog/filterlog';
import { parseFortigateKv } from '../../ingest/syslog/fortigateKv';
import { FrameSplitter } from '../../ingest/syslog/framing';
import { SenderDirectory } from '../../ingest/syslog/senderDirectory';
import { SyslogStats } from '../../ingest/syslog/syslogStats';
import { parseSyslog } from '../../ingest/syslog/syslogMessage';
import { REPO } from '../support/testEnv';
import { FILTERLOG_BLOCK_C2, FORTIGATE_DENY } from './syslogSamples';

describe('syslog headers', () => {
  test('RFC 5424 with structured data', () => {
    const parsed = parseSyslog(`<134>1 2026-11-20T10:15:32.123+01:00 fw1.mueller.example filterlog 4711 - [meta sequenceId="7" note="a \\] b"] ${FILTERLOG_BLOCK_C2}`);
    expect(parsed).toMatchObject({ ok: true, message: { format: 'rfc5424', facility: 16, severity: 6, hostname: 'fw1.mueller.example', appName: 'filterlog', procId: '4711', msgId: undefined, message: FILTERLOG_BLOCK_C2 } });
    if (parsed.ok) expect(parsed.message.timestamp?.toISOString()).toBe('2026-11-20T09:15:32.123Z');
  });

  test('BSD (RFC 3164) with and without a hostname', () => {
    expect(parseSyslog(`<134>Nov 20 10:15:32 fw1 filterlog[4711]: ${FILTERLOG_BLOCK_C2}`)).toMatchObject({ ok: true, message: { format: 'rfc3164', hostname: 'fw1', appName: 'filterlog', procId: '4711', message: FILTERLOG_BLOCK_C2 } });
    expect(parseSyslog(`<134>Nov  2 10:15:32 filterlog: ${FILTERLOG_BLOCK_C2}`)).toMatchObject({ ok: true, message: { hostname: undefined, appName: 'filterlog', message: FILTERLOG_BLOCK_C2 } });
  });

  test('bare <PRI>message as FortiGate sends by default', () => {
    expect(parseSyslog(`<189>${FORTIGATE_DENY}`)).toMatchObject({ ok: true, message: { format: 'bare', facility: 23, severity: 5, message: FORTIGATE_DENY } });
  });

  test.each([
    ['no PRI', 'hello world', 'no <PRI>'],
    ['PRI out of range', '<192>1 - - - - - -', 'invalid PRI'],
    ['RFC 5424 version 2', '<13>2 - host app - - -', 'version'],
    ['RFC 5424 bad timestamp', '<13>1 yesterday host app - - -', 'RFC 3339'],
    ['RFC 5424 unclosed structured data', '<13>1 - host app - - [x a="b"', 'not closed'],
    ['empty', '<13>', 'empty'],
  ])('refuses %s', (_name, line, reason) => {
    expect(parseSyslog(line)).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });
});

describe('filterlog and FortiGate lines', () => {
  test('an IPv4 TCP filterlog line', () => {
    expect(parseFilterlog(FILTERLOG_BLOCK_C2)).toEqual({
      ok: true,
      fields: expect.objectContaining({ rulenr: '82', action: 'block', dir: 'out', ipversion: '4', protoname: 'tcp', src: '192.168.10.23', dst: '203.0.113.7', srcport: '51234', dstport: '443', tcpflags: 'S' }),
    });
  });

  test('an IPv6 UDP filterlog line', () => {
    const parsed = parseFilterlog('5,,,02f4bab031b57d1e30553ce08e0ec131,igb0,match,block,in,6,0x00,0x00000,64,udp,17,60,2001:db8::5,2001:db8:c2::1,5353,53,60');
    expect(parsed).toMatchObject({ ok: true, fields: { src: '2001:db8::5', dst: '2001:db8:c2::1', srcport: '5353', dstport: '53' } });
  });

  test.each([
    ['too few fields', '82,,,x,vtnet0,match', 'too few'],
    ['a direction that is neither in nor out', '82,,,x,vtnet0,match,block,sideways,4,0x0,,64,0,0,DF,6,tcp,60,192.0.2.1,192.0.2.2,1,2,0', 'direction'],
    ['IP version 5', '82,,,x,vtnet0,match,block,in,5,0x0,,64,0,0,DF,6,tcp,60,192.0.2.1,192.0.2.2,1,2,0', 'IP version'],
  ])('filterlog refuses %s', (_name, line, reason) => {
    expect(parseFilterlog(line)).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  test('FortiGate key=value with quoted values and its zone', () => {
    const parsed = parseFortigateKv(FORTIGATE_DENY);
    expect(parsed).toMatchObject({ ok: true, fields: { devname: 'FGT60F-rheinwerk', srcip: '10.20.0.15', dstip: '198.51.100.77', dstport: '4444', action: 'deny', msg: 'a "quoted" note' } });
    if (parsed.ok) expect(parsed.time?.toISOString()).toBe('2026-11-20T09:15:32.000Z');
  });

  test('FortiGate refuses text that is not key=value', () => {
    expect(parseFortigateKv('this is no kv line')).toMatchObject({ ok: false });
    expect(parseFortigateKv('a=1 b=2')).toMatchObject({ ok: false, reason: expect.stringContaining('logid') });
  });
});

describe('TCP framing (RFC 6587)', () => {
  test('octet counting and newline framing, split across chunks', () => {
    const splitter = new FrameSplitter(1024);
    const a = '<13>1 - h a - - - first';
    const stream = Buffer.from(`${Buffer.byteLength(a)} ${a}<13>Nov 20 10:15:32 h app: second\n<13>third`);
    const frames = [...splitter.push(stream.subarray(0, 10)), ...splitter.push(stream.subarray(10, 40)), ...splitter.push(stream.subarray(40)), ...splitter.end()];
    expect(frames).toEqual([
      { ok: true, text: a },
      { ok: true, text: '<13>Nov 20 10:15:32 h app: second' },
      { ok: true, text: '<13>third' },
    ]);
  });

  test('an over-long octet count is reported as fatal; an over-long line is skipped to its newline', () => {
    expect(new FrameSplitter(100).push(Buffer.from('99999 <13>x'))).toEqual([expect.objectContaining({ ok: false, fatal: true })]);
    const splitter = new FrameSplitter(100);
    expect(splitter.push(Buffer.from('<13>' + 'x'.repeat(200)))).toEqual([expect.objectContaining({ ok: false, fatal: false })]);
    expect(splitter.push(Buffer.from('yyy\n<13>after\n'))).toEqual([{ ok: true, text: '<13>after' }]);
  });
});

describe('senders and mappings', () => {
  const tenants = loadTenantDirectory(join(REPO, 'config/tenants'));
  const senders = new SenderDirectory(tenants);

  test("R1 a sender is the tenant's source registered for its address; others are nobody", () => {
    expect(senders.find('198.51.100.10')).toMatchObject({ tenant: { id: 'mueller-logistik' }, source: { id: 'opnsense-fw1' } });
    expect(senders.find('::ffff:198.51.100.11')).toMatchObject({ source: { id: 'opnsense-fw1' } });
    expect(senders.find('203.0.113.9')).toMatchObject({ tenant: { id: 'rheinwerk-maschinenbau' }, source: { id: 'fortigate-fw1' } });
    expect(senders.find('203.0.113.16')).toBeUndefined();
    expect(senders.find('127.0.0.1')).toBeUndefined();
    expect(senders.find('not an address')).toBeUndefined();
  });

  test('R12 the OPNsense mapping turns filterlog fields into the Sigma firewall taxonomy', () => {
    const mapping = loadMappings(join(REPO, 'detection/mappings')).forKind('firewall-opnsense');
    const parsed = parseFilterlog(FILTERLOG_BLOCK_C2);
    if (!mapping || !parsed.ok) throw new Error('setup');
    expect(mapping.map(parsed.fields)).toEqual({
      logsource: { product: 'opnsense', category: 'firewall' },
      event: expect.objectContaining({ src_ip: '192.168.10.23', dst_ip: '203.0.113.7', src_port: 51234, dst_port: 443, action: 'block', direction: 'outbound', protocol: 'tcp', tcpflags: 'S' }),
    });
    expect(mapping.map({ ...parsed.fields, dstport: '70000' })).toEqual({ refused: { field: 'dstport', reason: 'not a port number (0-65535): 70000' } });
    expect(mapping.map({ ...parsed.fields, src: 'somewhere' })).toEqual({ refused: { field: 'src', reason: 'not an IP address: "somewhere"' } });
  });

  test('a mapping file with an unknown key, or a kind mapped twice, is refused with file and key', () => {
    const base = 'product: a\ncategory: firewall\nsourceKinds: [firewall-opnsense]\nfields: {}\n';
    expect(() => compileMappings([{ file: 'a.yml', text: `${base}colour: red\n` }])).toThrow(/a\.yml:5 colour/);
    expect(() => compileMappings([{ file: 'a.yml', text: base }, { file: 'b.yml', text: base }])).toThrow(/already mapped by a\.yml/);
  });
});

describe('event batches read from the stream', () => {
  const read = async (reader: typeof readNdjson, chunks: string[], bodyBytes = 1 << 20) => {
    const events: [number, unknown][] = [];
    const refused: [number, string][] = [];
    await reader(Readable.from(chunks.map((c) => Buffer.from(c))), { bodyBytes, eventChars: 64 }, {
      event: (value, line) => events.push([line, value]),
      refuse: (line, _field, reason) => refused.push([line, reason]),
    });
    return { events, refused };
  };

  test('NDJSON line by line across chunk boundaries, a bad line refused with its number', async () => {
    const result = await read(readNdjson, ['{"a":1}\n{"a"', ':2}\n\nnot json\n{"a":3}']);
    expect(result.events).toEqual([[1, { a: 1 }], [2, { a: 2 }], [5, { a: 3 }]]);
    expect(result.refused).toEqual([[4, expect.stringContaining('not JSON')]]);
  });

  test('JSON arrays and {"events": [...]} element by element, with strings holding brackets and commas', async () => {
    expect((await read(readJsonBatch, ['[{"a":"x,]"}', ', {"b":[1,2]} ,3]'])).events).toEqual([[1, { a: 'x,]' }], [2, { b: [1, 2] }], [3, 3]]);
    expect((await read(readJsonBatch, ['{ "events" : [ {"a":1} ] }'])).events).toEqual([[1, { a: 1 }]]);
    expect((await read(readJsonBatch, ['[', ']'])).events).toEqual([]);
    expect((await read(readJsonBatch, [`[{"a":"${'x'.repeat(100)}"},{"a":2}]`])).refused).toEqual([[1, expect.stringContaining('longer than 64')]]);
  });

  test.each([
    ['an unknown key', '{"items": []}'],
    ['a truncated body', '[{"a":1},'],
    ['a broken element', '[{"a":1},{"a":}]'],
    ['a trailing comma', '[{"a":1},]'],
  ])('a JSON batch with %s is malformed (400)', async (_name, body) => {
    await expect(read(readJsonBatch, [body])).rejects.toMatchObject({ status: 400, type: 'entity.parse.failed' });
  });

  test('the body limit is kept while streaming (413)', async () => {
    await expect(read(readNdjson, ['{"a":1}\n'.repeat(10), '{"a":1}\n'.repeat(10)], 100)).rejects.toBeInstanceOf(BodyStreamError);
  });
});

test('the ring of unparseable lines keeps the newest, in a bounded size', () => {
  const stats = new SyslogStats(3);
  for (let i = 1; i <= 5; i += 1) stats.keepUnparseable('192.0.2.1', 'udp', 'bad', `line ${i}`);
  const snapshot = stats.snapshot();
  expect(snapshot.unparseable).toBe(5);
  expect(snapshot.recentUnparseable.map((l) => l.line)).toEqual(['line 5', 'line 4', 'line 3']);
});
