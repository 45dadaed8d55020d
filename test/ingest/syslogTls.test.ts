/**
 * Syslog over TLS (RFC 5425) with a client certificate per source: the sender is the registered source whose
 * certificate fingerprint it presents (RFC 5425 5.2), whatever its address; octet-counting framing only. Tested with
 * real TLS clients against the real engine.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import { join } from 'node:path';
import request from 'supertest';
import { ConfigError, loadConfig } from '../../infra/config';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { incidentIdFor } from '../../ingest/incidentId';
import { SenderDirectory } from '../../ingest/syslog/senderDirectory';
import { startSyslogListener, type RunningSyslog } from '../../ingest/syslog/syslogListener';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';
import { FILTERLOG_BLOCK_C2, FORTIGATE_DENY } from './syslogSamples';

const C2_EVENT_RULE = '4f0d7c2e-6a1b-4c39-9e57-2d8b1f3a6c41';

const tlsDir = () => {
  const dir = process.env.SOAR_TEST_TLS_DIR;
  if (!dir) throw new Error('Run the tests through `npm test` (scripts/run-jest.cjs creates the throwaway test CA)');
  return dir;
};

/** A client certificate and key of a CA of its own (scripts/make-tls.cjs), as a firewall would have. */
function deviceCertificate(name: string): { cert: string; key: string; fingerprint: string } {
  const dir = mkdtempSync(join(testTemporal().workDir, `syslog-tls-${name}-`));
  execFileSync(process.execPath, [join(REPO, 'scripts/make-tls.cjs'), dir]);
  const cert = readFileSync(join(dir, 'engine.pem'), 'utf8');
  return { cert, key: readFileSync(join(dir, 'engine-key.pem'), 'utf8'), fingerprint: `sha-256:${new X509Certificate(cert).fingerprint256}` };
}

let opnsense: ReturnType<typeof deviceCertificate>;
let fortigate: ReturnType<typeof deviceCertificate>;
let stranger: ReturnType<typeof deviceCertificate>;

/** The sample tenants with their firewalls registered by certificate (their addresses stay as they are). */
function tenantsWithCertificates(): string {
  const dir = mkdtempSync(join(testTemporal().workDir, 'syslog-tls-tenants-'));
  const source = join(REPO, 'config/tenants');
  for (const name of readdirSync(source)) {
    if (!name.endsWith('.yaml')) {
      copyFileSync(join(source, name), join(dir, name));
      continue;
    }
    const text = readFileSync(join(source, name), 'utf8')
      .replace('addresses: [198.51.100.10, 198.51.100.11]', `addresses: [198.51.100.10, 198.51.100.11]\n    certificates: ['${opnsense.fingerprint}']`)
      .replace('addresses: [203.0.113.0/28]', `addresses: [203.0.113.0/28]\n    certificates: ['${fortigate.fingerprint.toLowerCase()}']`);
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

let engine: TestEngine;
let syslog: RunningSyslog;
beforeAll(async () => {
  opnsense = deviceCertificate('opnsense');
  fortigate = deviceCertificate('fortigate');
  stranger = deviceCertificate('stranger');
  const tenantsDir = tenantsWithCertificates();
  engine = await startTestEngine({ tenantsDir });
  syslog = await startSyslogListener({
    host: '127.0.0.1',
    port: 0,
    tls: { port: 0, cert: readFileSync(join(tlsDir(), 'cert.pem')), key: readFileSync(join(tlsDir(), 'key.pem')) },
    intake: engine.events,
    senders: new SenderDirectory(loadTenantDirectory(tenantsDir)),
    flushMs: 100,
    logError: () => undefined,
  });
}, 120_000);
afterAll(async () => {
  await syslog?.stop();
  await engine?.stop();
});

/** Sends over TLS (the run's CA trusts the listener's certificate) and waits until the listener closed or ended. */
async function sendTls(device: { cert: string; key: string } | null, data: string[]): Promise<{ authorized: boolean }> {
  const port = syslog.tlsPort;
  if (port === null) throw new Error('the TLS listener is not running');
  const socket: TLSSocket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(join(tlsDir(), 'ca.pem')), ...(device ? { cert: device.cert, key: device.key } : {}) });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  for (const chunk of data) socket.write(chunk);
  socket.end();
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.on('error', () => undefined);
    socket.resume();
  });
  return { authorized: socket.authorized };
}

const octetCounted = (message: string) => `${Buffer.byteLength(message)} ${message}`;
const rfc5424 = (time: string, host: string, app: string, message: string) => `<134>1 ${time} ${host} ${app} 4711 - - ${message}`;
const fifteen = 15 * 60_000;
function incident(tenantId: string, src: string, time: string): string {
  const start = Math.floor(new Date(time).getTime() / fifteen) * fifteen;
  return incidentIdFor(tenantId, { ruleId: C2_EVENT_RULE, entity: { field: 'src_ip', value: src }, windowStart: new Date(start).toISOString(), windowEnd: new Date(start + fifteen).toISOString() });
}
const status = (alertId: string) => request(engine.app).get(`/v1/alerts/${alertId}`).set('Authorization', `Bearer ${engine.key('analyst')}`);
const classified = (alertId: string) => waitFor(() => status(alertId), (r) => r.status === 200 && r.body.classification !== null, `incident ${alertId} classified`);

test('R1 R12 an octet-counted line over TLS with the OPNsense\'s client certificate becomes its tenant\'s alert, whatever the sender\'s address', async () => {
  const sent = await sendTls(opnsense, [octetCounted(rfc5424('2026-11-20T10:15:32Z', 'fw1.mueller.example', 'filterlog', FILTERLOG_BLOCK_C2.replace('192.168.10.23', '192.168.10.61')))]);
  expect(sent.authorized).toBe(true); // the sender checked the listener's certificate too
  const alert = await classified(incident('mueller-logistik', '192.168.10.61', '2026-11-20T10:15:32Z'));
  expect(alert.body).toMatchObject({ tenantId: 'mueller-logistik', source: 'opnsense-fw1' });
});

test('R1 R12 another source\'s certificate maps to its own tenant (a fingerprint is matched in any letter case)', async () => {
  const line = FORTIGATE_DENY.replace('srcip=10.20.0.15', 'srcip=10.20.0.61');
  expect(line).not.toBe(FORTIGATE_DENY);
  await sendTls(fortigate, [octetCounted(`<189>${line}`)]);
  const alert = await classified(incident('rheinwerk-maschinenbau', '10.20.0.61', '2026-11-20T09:15:32Z'));
  expect(alert.body).toMatchObject({ tenantId: 'rheinwerk-maschinenbau', source: 'fortigate-fw1' });
});

test('R1 a TLS sender without a certificate, or with one no source registered, is refused and counted, and starts nothing', async () => {
  const before = syslog.stats.unknownSender;
  const line = octetCounted(rfc5424('2026-11-20T10:15:32Z', 'fw9', 'filterlog', FILTERLOG_BLOCK_C2.replace('192.168.10.23', '192.168.10.62')));
  await sendTls(null, [line]).catch(() => ({ authorized: false }));
  await sendTls(stranger, [line]).catch(() => ({ authorized: false }));
  await waitFor(async () => syslog.stats.unknownSender, (n) => n === before + 2, 'both unknown senders counted');
  expect(syslog.stats.snapshot().unknownSenders).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.stringContaining(stranger.fingerprint) })]));
  await syslog.flush();
  for (const tenantId of ['mueller-logistik', 'rheinwerk-maschinenbau', 'nordwind-handel']) {
    await expect(engine.client.workflow.getHandle(incident(tenantId, '192.168.10.62', '2026-11-20T10:15:32Z')).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  }
});

test('RFC 5425 takes octet-counting framing only: a newline-framed line over TLS is refused as a framing error', async () => {
  const { unparseable } = syslog.stats;
  await sendTls(opnsense, [`${rfc5424('2026-11-20T10:15:32Z', 'fw1', 'filterlog', FILTERLOG_BLOCK_C2.replace('192.168.10.23', '192.168.10.63'))}\n`]);
  await waitFor(async () => syslog.stats.unparseable, (n) => n > unparseable, 'the framing error counted');
  expect(JSON.stringify(syslog.stats.snapshot())).toMatch(/RFC 5425: octet-counting framing/);
});

test('the configuration needs the listener\'s certificate and key with the TLS port, and a fingerprint belongs to one tenant', () => {
  expect(() => loadConfig({ SOAR_SYSLOG_TLS_PORT: '6514' })).toThrow(ConfigError);
  expect(() => loadConfig({ SOAR_SYSLOG_TLS_PORT: '6514' })).toThrow(/SOAR_SYSLOG_TLS_CERT_FILE/);
  const files = { SOAR_SYSLOG_TLS_PORT: '6514', SOAR_SYSLOG_TLS_CERT_FILE: join(tlsDir(), 'cert.pem'), SOAR_SYSLOG_TLS_KEY_FILE: join(tlsDir(), 'key.pem') };
  expect(() => loadConfig(files)).toThrow(/SOAR_SYSLOG_PORT: required with SOAR_SYSLOG_TLS_PORT/);
  const config = loadConfig({ ...files, SOAR_SYSLOG_PORT: '5514' });
  expect(config.events.syslog.tls).toEqual({ port: 6514, certFile: join(tlsDir(), 'cert.pem'), keyFile: join(tlsDir(), 'key.pem') });

  const dir = mkdtempSync(join(testTemporal().workDir, 'syslog-tls-clash-'));
  for (const name of readdirSync(join(REPO, 'config/tenants'))) {
    const text = readFileSync(join(REPO, 'config/tenants', name), 'utf8')
      .replace('addresses: [198.51.100.10, 198.51.100.11]', `addresses: [198.51.100.10, 198.51.100.11]\n    certificates: ['${opnsense.fingerprint}']`)
      .replace('addresses: [203.0.113.0/28]', `addresses: [203.0.113.0/28]\n    certificates: ['${opnsense.fingerprint}']`);
    writeFileSync(join(dir, name), text);
  }
  expect(() => loadTenantDirectory(dir)).toThrow(/certificate sha-256:[0-9A-F:]+ is already registered for .*mueller-logistik/);
  writeFileSync(join(dir, 'rheinwerk-maschinenbau.yaml'), readFileSync(join(dir, 'rheinwerk-maschinenbau.yaml'), 'utf8').replace(opnsense.fingerprint, 'sha-256:12:34'));
  expect(() => loadTenantDirectory(dir)).toThrow(/rheinwerk-maschinenbau\.yaml:\d+ sources\[\d+\]\.certificates\[0\]: a SHA-256 certificate fingerprint/);
});
