/**
 * Encrypted payloads (GDPR, R14, R18): AES-256-GCM with a key per tenant. Alert content is unreadable in the
 * Temporal server's stored history; deleting a tenant's keys (crypto-shredding) makes its payloads undecodable
 * while other tenants' still decode; the codec endpoint decodes for auditors only.
 */
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../../infra/config';
import { historyToJson } from '../../infra/audit/historyJson';
import { keyIdsOf, payloadsIn } from '../../infra/crypto/historyPayloads';
import { ensureDevPayloadKeys, loadPayloadKeyring, PayloadKeyring, PayloadKeyUnavailableError, randomKeySet } from '../../infra/crypto/payloadKeys';
import { PayloadAuthenticationError, TenantPayloadCodec, keyIdOfPayload } from '../../infra/crypto/tenantPayloadCodec';
import { auth } from '../playbooks/playbookHarness';
import { sampleAlert } from '../support/alerts';
import { alwaysInService, startTestEngine, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';

const workDir = () => mkdtempSync(join(testTemporal().workDir, 'payload-keys-'));
const keyring = (tenants: string[]) => PayloadKeyring.from({ default: randomKeySet(), tenants: Object.fromEntries(tenants.map((t) => [t, randomKeySet()])) });
const json = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const value = (payload: Payload | undefined): unknown => (payload ? defaultPayloadConverter.fromPayload(payload) : undefined);
const alertWorkflowId = (tenant: string) => `alert.${tenant}.edr.${'ab'.repeat(16)}`;

describe('the codec', () => {
  const codec = new TenantPayloadCodec(keyring(['nordwind-handel', 'mueller-logistik']));

  test('GDPR round trip: a payload is encrypted under its tenant key (from the workflow id) and decodes to the same value; every IV is fresh', async () => {
    const input = { alertId: 'x', alert: { title: 'Suspicious access to LSASS memory', tenantId: 'nordwind-handel' } };
    const context = { type: 'workflow' as const, namespace: 'soar', workflowId: alertWorkflowId('nordwind-handel') };
    const [a, b] = await codec.encode([json(input), json(input)], context);
    expect(keyIdOfPayload(a!)).toBe('nordwind-handel/v1');
    expect(Buffer.from(a!.metadata!['encoding']!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(a!.data!).toString()).not.toContain('LSASS');
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
    expect(value((await codec.decode([a!]))[0])).toEqual(input);
  });

  test('the tenant comes from a marker in the JSON when there is no workflow context; payloads without one use the SOC default key', async () => {
    const encoded = await codec.encode([
      json({ tenantId: 'mueller-logistik', x: 1 }),
      json({ status: { tenantId: 'nordwind-handel' } }),
      json({ alertId: alertWorkflowId('mueller-logistik') }),
      json({ matchedRules: [] }),
      json('a plain string'),
    ]);
    expect(encoded.map(keyIdOfPayload)).toEqual(['mueller-logistik/v1', 'nordwind-handel/v1', 'mueller-logistik/v1', '_default/v1', '_default/v1']);
  });

  test('R18 payloads recorded without encryption (the golden histories) pass through decode unchanged', async () => {
    const plain = json({ title: 'old' });
    expect((await codec.decode([plain]))[0]).toBe(plain);
  });

  test('tampered ciphertext, or a payload moved under another key id, fails authentication naming the key id', async () => {
    const [payload] = await codec.encode([json({ tenantId: 'nordwind-handel', title: 'x' })]);
    const flipped = Buffer.from(payload!.data!);
    flipped[20] = (flipped[20] ?? 0) ^ 1;
    await expect(codec.decode([{ ...payload, data: flipped }])).rejects.toThrow(PayloadAuthenticationError);
    await expect(codec.decode([{ ...payload, data: flipped }])).rejects.toThrow("'nordwind-handel/v1'");
    const moved = { ...payload, metadata: { ...payload!.metadata, 'encryption-key-id': Buffer.from('mueller-logistik/v1') } };
    await expect(codec.decode([moved])).rejects.toThrow(PayloadAuthenticationError);
  });

  test('key rotation: the active version encrypts, older versions still decode', async () => {
    const v1 = randomKeySet();
    const old = new TenantPayloadCodec(PayloadKeyring.from({ default: randomKeySet(), tenants: { 'nordwind-handel': v1 } }));
    const [before] = await old.encode([json({ tenantId: 'nordwind-handel' })]);
    const rotated = new TenantPayloadCodec(
      PayloadKeyring.from({ default: randomKeySet(), tenants: { 'nordwind-handel': { active: 2, keys: { ...v1.keys, '2': randomKeySet().keys['1']! } } } }),
    );
    const [after] = await rotated.encode([json({ tenantId: 'nordwind-handel' })]);
    expect(keyIdOfPayload(after!)).toBe('nordwind-handel/v2');
    expect(value((await rotated.decode([before!]))[0])).toEqual({ tenantId: 'nordwind-handel' });
  });

  test('R14 crypto-shredding: with a tenant deleted from the keys file its payloads fail to decode naming the key id; another tenant\'s still decode', async () => {
    const file = join(workDir(), 'keys.yaml');
    const codecBefore = new TenantPayloadCodec(ensureDevPayloadKeys(file, ['nordwind-handel', 'mueller-logistik']));
    const [nordwind, mueller] = await codecBefore.encode([json({ tenantId: 'nordwind-handel', title: 'n' }), json({ tenantId: 'mueller-logistik', title: 'm' })]);
    const document = parse(readFileSync(file, 'utf8'));
    delete document.tenants['nordwind-handel'];
    writeFileSync(file, stringify(document));
    const codecAfter = new TenantPayloadCodec(loadPayloadKeyring(file));
    await expect(codecAfter.decode([nordwind!])).rejects.toThrow(PayloadKeyUnavailableError);
    await expect(codecAfter.decode([nordwind!])).rejects.toThrow(/'nordwind-handel\/v1' is not available: it was deleted \(crypto-shredded\)/);
    expect(value((await codecAfter.decode([mueller!]))[0])).toEqual({ tenantId: 'mueller-logistik', title: 'm' });
  });

  test('the keys file is validated: a wrong key length or an unknown field names the file and the place', () => {
    const file = join(workDir(), 'keys.yaml');
    writeFileSync(file, stringify({ default: { active: 1, keys: { 1: Buffer.alloc(16).toString('base64') } } }));
    expect(() => loadPayloadKeyring(file)).toThrow(ConfigError);
    expect(() => loadPayloadKeyring(file)).toThrow(/default\.keys\.1: the base64 of exactly 32 random bytes/);
    writeFileSync(file, stringify({ default: randomKeySet(), tenant: {} }));
    expect(() => loadPayloadKeyring(file)).toThrow(/unknown key\(s\) tenant/);
    writeFileSync(file, stringify({ default: randomKeySet() }));
    expect(() => loadPayloadKeyring(file).requireTenants(['nordwind-handel'], file)).toThrow(/no payload key for the tenant\(s\) nordwind-handel/);
  });

  test('cost per payload (measured, printed): encode and decode of an alert-sized payload', async () => {
    const input = json({ alertId: 'x', alert: sampleAlert(), padding: 'x'.repeat(1500) });
    const context = { type: 'workflow' as const, namespace: 'soar', workflowId: alertWorkflowId('nordwind-handel') };
    const n = 2000;
    let started = performance.now();
    const encoded = [];
    for (let i = 0; i < n; i++) encoded.push(...(await codec.encode([input], context)));
    const encodeUs = ((performance.now() - started) * 1000) / n;
    started = performance.now();
    for (const payload of encoded) await codec.decode([payload]);
    const decodeUs = ((performance.now() - started) * 1000) / n;
    started = performance.now();
    for (let i = 0; i < n; i++) await codec.encode([input]);
    const markerUs = ((performance.now() - started) * 1000) / n;
    process.stderr.write(
      `[codec] ${input.data!.length} B payload: encode ${encodeUs.toFixed(1)} µs (workflow id context), ${markerUs.toFixed(1)} µs (JSON marker), decode ${decodeUs.toFixed(1)} µs\n`,
    );
    expect(encodeUs).toBeLessThan(2_000);
  });
});

describe('on a real Temporal server', () => {
  let engine: TestEngine;
  let rawClient: Client;
  let rawConnection: Connection;
  const title = `Credential dumping by codec-canary-${Date.now()}`;
  const user = `m.mustermann-${Date.now()}`;
  let alertId = '';
  let otherAlertId = '';

  beforeAll(async () => {
    engine = await startTestEngine({ policy: alwaysInService, codecCorsOrigin: 'http://localhost:8233' });
    const { address, namespace } = testTemporal();
    rawConnection = await Connection.connect({ address });
    // No codec: what the Temporal server, its database and its backups hold.
    rawClient = new Client({ connection: rawConnection, namespace });
    const submit = async (body: ReturnType<typeof sampleAlert>) => {
      const response = await request(engine.app).post('/v1/alerts').set(auth(engine.key('ingest', body.tenantId))).send(body);
      if (response.status !== 202) throw new Error(`intake answered ${response.status}`);
      return String(response.body.alertId);
    };
    alertId = await submit(sampleAlert({ tenantId: 'nordwind-handel', title, entities: { ...sampleAlert().entities, users: [{ name: user }] } }));
    otherAlertId = await submit(sampleAlert({ tenantId: 'mueller-logistik', title }));
    await engine.client.workflow.getHandle(alertId).result();
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await rawConnection?.close();
  });

  const rawHistory = (workflowId: string) => rawClient.workflow.getHandle(workflowId).fetchHistory();

  test('GDPR R18 the stored history holds no alert title or entity in plain text, only ciphertext and the key id; search attributes stay readable', async () => {
    const history = await rawHistory(alertId);
    const text = JSON.stringify(historyToJson(history));
    const base64 = (s: string) => Buffer.from(s).toString('base64');
    for (const secret of [title, user, 'procdump64.exe']) {
      expect(text).not.toContain(secret);
      expect(Buffer.concat(payloadsIn(history).map((p) => Buffer.from(p.data ?? []))).toString('latin1')).not.toContain(secret);
    }
    expect(text).toContain(base64('binary/encrypted'));
    expect(text).toContain(base64('nordwind-handel/v1'));
    const counts = keyIdsOf(history);
    process.stderr.write(`[codec] payloads of a package-1 alert history by key id: ${JSON.stringify(counts)}\n`);
    // Every payload of the alert's workflow is under its tenant's key (the workflow id names the tenant).
    expect(Object.keys(counts)).toEqual(['nordwind-handel/v1']);
    // Search attributes are not payload-encrypted: the tenant id stays queryable (documented).
    const tenantAttribute = history.events?.[0]?.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields?.['TenantId'];
    expect(JSON.stringify(value(tenantAttribute ?? undefined))).toContain('nordwind-handel');
  });

  test('R14 crypto-shredding a tenant: its stored payloads no longer decode (the error names the key id); another tenant\'s still do', async () => {
    const file = testTemporal().payloadKeysFile;
    const document = parse(readFileSync(file, 'utf8'));
    delete document.tenants['nordwind-handel'];
    const copy = join(workDir(), 'shredded.yaml');
    writeFileSync(copy, stringify(document));
    const shredded = new TenantPayloadCodec(loadPayloadKeyring(copy));
    const [shreddedInput] = payloadsIn((await rawHistory(alertId)).events?.[0]);
    await expect(shredded.decode([shreddedInput!])).rejects.toThrow(/'nordwind-handel\/v1' is not available/);
    const [otherInput] = payloadsIn((await rawHistory(otherAlertId)).events?.[0]);
    expect(value((await shredded.decode([otherInput!]))[0])).toMatchObject({ alert: { tenantId: 'mueller-logistik', title } });
  });

  describe('the codec endpoint (Temporal UI and CLI)', () => {
    const wire = (p: Payload) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data ?? []).toString('base64'),
    });
    const decodeAs = (key: string, payloads: unknown[]) =>
      request(engine.app).post('/v1/codec/decode').set(auth(key)).set('X-Namespace', testTemporal().namespace).send({ payloads });

    test('R18 an auditor decodes a stored payload to the alert as the workflow received it', async () => {
      const [input] = payloadsIn((await rawHistory(alertId)).events?.[0]);
      const response = await decodeAs(engine.key('auditor'), [wire(input!)]);
      expect(response.status).toBe(200);
      const [decoded] = response.body.payloads;
      expect(Buffer.from(decoded.metadata.encoding, 'base64').toString()).toBe('json/plain');
      expect(JSON.parse(Buffer.from(decoded.data, 'base64').toString())).toMatchObject({ alertId, alert: { title } });
      const encoded = await request(engine.app).post('/v1/codec/encode').set(auth(engine.key('admin'))).send({ payloads: [decoded] });
      expect(encoded.status).toBe(200);
      expect(Buffer.from(encoded.body.payloads[0].metadata['encryption-key-id'], 'base64').toString()).toBe('nordwind-handel/v1');
    });

    test('R17 R18 analysts and customers are refused (403), another namespace is refused (400)', async () => {
      const [input] = payloadsIn((await rawHistory(alertId)).events?.[0]);
      expect((await decodeAs(engine.key('analyst'), [wire(input!)])).status).toBe(403);
      expect((await decodeAs(engine.key('customer', 'nordwind-handel'), [wire(input!)])).status).toBe(403);
      const other = await request(engine.app).post('/v1/codec/decode').set(auth(engine.key('auditor'))).set('X-Namespace', 'elsewhere').send({ payloads: [wire(input!)] });
      expect(other.status).toBe(400);
    });

    test('R14 an unknown (shredded) key id and a tampered payload are refused with 422 naming the key id', async () => {
      const [input] = payloadsIn((await rawHistory(alertId)).events?.[0]);
      const unknown = wire({ ...input!, metadata: { ...input!.metadata, 'encryption-key-id': Buffer.from('former-tenant/v3') } });
      const refused = await decodeAs(engine.key('auditor'), [unknown]);
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'payload_key_unavailable', message: expect.stringContaining("'former-tenant/v3'") });
      const data = Buffer.from(input!.data!);
      data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 0xff;
      const tampered = await decodeAs(engine.key('auditor'), [wire({ ...input!, data })]);
      expect(tampered.status).toBe(422);
      expect(tampered.body.error).toMatchObject({ code: 'payload_not_authentic', message: expect.stringContaining("'nordwind-handel/v1'") });
    });

    test('CORS preflight is answered for the configured Temporal UI origin only', async () => {
      const preflight = (origin: string) =>
        request(engine.app).options('/v1/codec/decode').set('Origin', origin).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization,content-type,x-namespace');
      const allowed = await preflight('http://localhost:8233');
      expect(allowed.status).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:8233');
      expect(allowed.headers['access-control-allow-headers']).toMatch(/X-Namespace/);
      const other = await preflight('https://evil.example');
      expect(other.status).toBe(403);
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
