/**
 * The syslog listener on a real socket pair (UDP and TCP) against the real engine: senders are told apart by their
 * address (the sample tenants' firewalls re-registered on loopback addresses 127.0.0.2 and .3), and nothing a
 * sender sends can stop it.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { createSocket } from 'node:dgram';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { incidentIdFor } from '../../ingest/incidentId';
import { SenderDirectory } from '../../ingest/syslog/senderDirectory';
import { startSyslogListener, type RunningSyslog } from '../../ingest/syslog/syslogListener';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';
import { FILTERLOG_BLOCK_C2, filterlogBlockedRdp, FORTIGATE_DENY } from './syslogSamples';

const C2_EVENT_RULE = '4f0d7c2e-6a1b-4c39-9e57-2d8b1f3a6c41';
const RDP_EVENT_RULE = '9b3e1f47-0c5d-4a2e-8f16-7d4c2b9a5e03';
const OPNSENSE = '127.0.0.2';
const FORTIGATE = '127.0.0.3';
const STRANGER = '127.0.0.9';

/** The sample tenants with their firewalls sending from loopback addresses a test can bind. */
function loopbackTenants(): string {
  const dir = mkdtempSync(join(tmpdir(), 'syslog-tenants-'));
  const source = join(REPO, 'config/tenants');
  for (const name of readdirSync(source)) {
    if (!name.endsWith('.yaml')) {
      copyFileSync(join(source, name), join(dir, name));
      continue;
    }
    const text = readFileSync(join(source, name), 'utf8').replace('[198.51.100.10, 198.51.100.11]', `[${OPNSENSE}]`).replace('[203.0.113.0/28]', `[${FORTIGATE}]`);
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

let engine: TestEngine;
let syslog: RunningSyslog;
beforeAll(async () => {
  const tenantsDir = loopbackTenants();
  engine = await startTestEngine({ tenantsDir });
  syslog = await startSyslogListener({
    host: '127.0.0.1',
    port: 0,
    intake: engine.events,
    senders: new SenderDirectory(loadTenantDirectory(tenantsDir)),
    flushMs: 100,
    logError: () => undefined,
  });
  engine.setSyslogStats(() => syslog.stats.snapshot());
});
afterAll(async () => {
  await syslog?.stop();
  await engine?.stop();
});

async function sendUdp(from: string, ...messages: (string | Buffer)[]): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind({ address: from, port: 0 }, resolve));
  for (const message of messages) await new Promise<void>((resolve, reject) => socket.send(message, syslog.udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  socket.close();
}

async function sendTcp(from: string, data: (string | Buffer)[]): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port: syslog.tcpPort, localAddress: from });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  for (const chunk of data) socket.write(chunk);
  await new Promise<void>((resolve) => socket.end(resolve));
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
}

const octetCounted = (message: string) => `${Buffer.byteLength(message)} ${message}`;
const rfc5424 = (time: string, host: string, app: string, message: string) => `<134>1 ${time} ${host} ${app} 4711 - - ${message}`;
const fifteen = 15 * 60_000;
function incident(tenantId: string, ruleId: string, src: string, time: string | number): string {
  const start = Math.floor(new Date(time).getTime() / fifteen) * fifteen;
  return incidentIdFor(tenantId, { ruleId, entity: { field: 'src_ip', value: src }, windowStart: new Date(start).toISOString(), windowEnd: new Date(start + fifteen).toISOString() });
}
const status = (alertId: string) => request(engine.app).get(`/v1/alerts/${alertId}`).set('Authorization', `Bearer ${engine.key('analyst')}`);
const classified = (alertId: string) => waitFor(() => status(alertId), (r) => r.status === 200 && r.body.classification !== null, `incident ${alertId} classified`);

test("R1 R3 R12 an OPNsense filterlog line over UDP from the tenant's registered address becomes an alert classified by a Sigma rule", async () => {
  await sendUdp(OPNSENSE, rfc5424('2026-11-20T10:15:32Z', 'fw1.mueller.example', 'filterlog', FILTERLOG_BLOCK_C2));
  const alert = await classified(incident('mueller-logistik', C2_EVENT_RULE, '192.168.10.23', '2026-11-20T10:15:32Z'));
  expect(alert.body).toMatchObject({
    tenantId: 'mueller-logistik',
    source: 'opnsense-fw1',
    severity: 'high',
    classification: { decidedBy: { kind: 'rule', ruleId: C2_EVENT_RULE } },
    correlation: { hits: 1, entity: { field: 'src_ip', value: '192.168.10.23' } },
  });
});

test('R12 over TCP, octet-counted and newline-framed lines (RFC 5424 and BSD) in one stream each become events', async () => {
  const c2From = (src: string) => FILTERLOG_BLOCK_C2.replace('192.168.10.23', src);
  const before = Date.now();
  await sendTcp(OPNSENSE, [
    octetCounted(rfc5424('2026-11-20T11:02:00Z', 'fw1', 'filterlog', c2From('192.168.10.41'))),
    `<134>Nov 20 11:02:01 fw1 filterlog[4711]: ${c2From('192.168.10.42')}\n`,
  ]);
  await classified(incident('mueller-logistik', C2_EVENT_RULE, '192.168.10.41', '2026-11-20T11:02:00Z'));
  // BSD timestamps carry neither year nor zone: the time of receipt places the hit.
  const candidates = [before, Date.now()].map((t) => incident('mueller-logistik', C2_EVENT_RULE, '192.168.10.42', t));
  await waitFor(async () => Promise.all(candidates.map((id) => status(id).then((r) => r.status))), (codes) => codes.includes(200), 'the BSD line incident');
});

test('R12 a FortiGate key=value line (bare <PRI>, as FortiOS sends by default) from its address becomes an alert of its tenant', async () => {
  await sendUdp(FORTIGATE, `<189>${FORTIGATE_DENY}`);
  const alert = await classified(incident('rheinwerk-maschinenbau', C2_EVENT_RULE, '10.20.0.15', '2026-11-20T09:15:32Z'));
  expect(alert.body).toMatchObject({ tenantId: 'rheinwerk-maschinenbau', source: 'fortigate-fw1', severity: 'high', correlation: { entity: { value: '10.20.0.15' } } });
});

test('R3 blocked RDP attempts from one address over syslog are counted into one incident', async () => {
  const lines = [1, 2, 3].map((i) => rfc5424(`2026-11-20T12:00:0${i}Z`, 'fw1', 'filterlog', filterlogBlockedRdp('192.0.2.77', 40000 + i)));
  await sendUdp(OPNSENSE, ...lines);
  const id = incident('mueller-logistik', RDP_EVENT_RULE, '192.0.2.77', '2026-11-20T12:00:00Z');
  const alert = await waitFor(() => status(id), (r) => r.status === 200 && r.body.correlation?.hits === 3 && r.body.severity !== null, 'three hits in one incident, classified');
  expect(alert.body.severity).toBe('low');
});

test('R1 a sender that is no registered source is refused and counted, and starts nothing', async () => {
  const before = syslog.stats.unknownSender;
  await sendUdp(STRANGER, rfc5424('2026-11-20T10:15:32Z', 'fw9', 'filterlog', FILTERLOG_BLOCK_C2.replace('192.168.10.23', '192.168.10.99')));
  await waitFor(async () => syslog.stats.unknownSender, (n) => n === before + 1, 'the unknown sender counted');
  await syslog.flush();
  expect(syslog.stats.snapshot().unknownSenders).toEqual(expect.arrayContaining([expect.objectContaining({ address: STRANGER, count: 1 })]));
  for (const tenantId of ['mueller-logistik', 'rheinwerk-maschinenbau', 'nordwind-handel']) {
    await expect(engine.client.workflow.getHandle(incident(tenantId, C2_EVENT_RULE, '192.168.10.99', '2026-11-20T10:15:32Z')).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  }
});

test('garbage never stops the listener: it is counted and kept for inspection, other daemons are ignored, and good lines still pass', async () => {
  const { unparseable, ignored } = syslog.stats;
  await sendUdp(OPNSENSE, 'no pri at all', Buffer.from([0xff, 0xfe, 0x00, 0x3c, 0x31]), '<999>1 - - - - - -', rfc5424('2026-11-20T10:15:32Z', 'fw1', 'filterlog', '82,,,x,vtnet0,match'), rfc5424('2026-11-20T10:15:32Z', 'fw1', 'configd.py', 'action allowed'));
  await sendTcp(OPNSENSE, ['<13>' + 'x'.repeat(70 * 1024) + '\n', Buffer.from([0x00, 0x0a, 0xc3, 0x28, 0x0a])]);
  await sendTcp(OPNSENSE, ['999999 <13>1 - - - - - - far too long']);
  await sendUdp(OPNSENSE, rfc5424('2026-11-20T13:00:00Z', 'fw1', 'filterlog', FILTERLOG_BLOCK_C2.replace('192.168.10.23', '192.168.10.50')));
  await classified(incident('mueller-logistik', C2_EVENT_RULE, '192.168.10.50', '2026-11-20T13:00:00Z'));
  expect(syslog.stats.unparseable).toBeGreaterThanOrEqual(unparseable + 6);
  expect(syslog.stats.ignored).toBe(ignored + 1);

  const stats = await request(engine.app).get('/v1/ingest/syslog').set('Authorization', `Bearer ${engine.key('admin')}`);
  expect(stats.status).toBe(200);
  expect(stats.body).toMatchObject({ enabled: true, udpPort: syslog.udpPort, tcpPort: syslog.tcpPort });
  const reasons = stats.body.recentUnparseable.map((l: { reason: string }) => l.reason);
  expect(reasons).toEqual(expect.arrayContaining([expect.stringContaining('no <PRI>'), expect.stringContaining('invalid PRI'), expect.stringContaining('too few'), expect.stringContaining('over the')]));
  expect((await request(engine.app).get('/v1/ingest/syslog').set('Authorization', `Bearer ${engine.key('analyst')}`)).status).toBe(403);
});
