/**
 * Production connections to Temporal (issue 8): TLS and mTLS from the configuration, for the SDK's client (grpc-js)
 * and the worker's native connection (Rust core) alike. The dev server speaks plaintext, so an mTLS-terminating proxy
 * (Node's tls, ALPN h2, client certificates required) stands in front of it, as a load balancer would.
 */
import { connect as connectTcp } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../../infra/config';
import { connectionOptionsOf, temporalConnectionOptions } from '../../infra/temporal/connectionOptions';
import { createSecretResolver } from '../../infra/secrets';
import { REPO, testTemporal } from '../support/testEnv';

const tlsDir = () => {
  const dir = process.env.SOAR_TEST_TLS_DIR;
  if (!dir) throw new Error('Run the tests through `npm test` (scripts/run-jest.cjs creates the throwaway test CA)');
  return dir;
};
const file = (name: string) => join(tlsDir(), name);

let proxy: Server;
let proxyAddress: string;
const handshakes: { authorized: boolean; clientCommonName: string | null }[] = [];

beforeAll(async () => {
  const [host, port] = testTemporal().address.split(':');
  proxy = createServer(
    { key: readFileSync(file('key.pem')), cert: readFileSync(file('cert.pem')), ca: readFileSync(file('ca.pem')), requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
    (socket) => {
      const peer = socket.getPeerCertificate();
      handshakes.push({ authorized: socket.authorized, clientCommonName: typeof peer.subject?.CN === 'string' ? peer.subject.CN : null });
      const upstream = connectTcp(Number(port), host);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    },
  );
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (typeof address !== 'object' || address === null) throw new Error('proxy has no port');
  proxyAddress = `localhost:${address.port}`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
});

const mtlsEnv = () => ({
  NODE_ENV: 'production',
  SOAR_API_KEYS_FILE: 'config/api-keys.example.yaml',
  SOAR_PAYLOAD_KEYS_FILE: '/dev/null',
  SOAR_ENDPOINT_LOCATIONS_FILE: join(REPO, 'config/endpoint-locations.example.yaml'),
  TEMPORAL_ADDRESS: proxyAddress,
  TEMPORAL_TLS_CA_FILE: file('ca.pem'),
  TEMPORAL_TLS_CERT_FILE: file('client-cert.pem'),
  TEMPORAL_TLS_KEY_FILE: file('client-key.pem'),
});

test('the client and the worker connect to Temporal over mTLS with the configured CA, certificate and key', async () => {
  const config = loadConfig(mtlsEnv());
  const options = connectionOptionsOf(config, proxyAddress);
  const before = handshakes.length;

  const client = await Connection.connect(options);
  const worker = await NativeConnection.connect(options);
  try {
    const { namespace } = testTemporal();
    expect((await client.workflowService.describeNamespace({ namespace })).namespaceInfo?.name).toBe(namespace);
    expect((await worker.workflowService.describeNamespace({ namespace })).namespaceInfo?.name).toBe(namespace);
  } finally {
    await client.close();
    await worker.close();
  }
  const seen = handshakes.slice(before);
  expect(seen.length).toBeGreaterThanOrEqual(2);
  expect(seen.every((h) => h.authorized && h.clientCommonName === 'soar-worker')).toBe(true);
});

test('without a client certificate the mTLS endpoint refuses the connection', async () => {
  const options = temporalConnectionOptions(proxyAddress, { caFile: file('ca.pem') }, createSecretResolver({}));
  await expect(
    (async () => {
      const connection = await Connection.connect({ ...options, connectTimeout: 3_000 });
      try {
        await connection.workflowService.getSystemInfo({});
      } finally {
        await connection.close();
      }
    })(),
  ).rejects.toThrow(/DEADLINE|UNAVAILABLE|handshake|certificate|closed|connect/i);
});

test('a server certificate the configured CA did not sign is refused', async () => {
  const dir = mkdtempSync(join(testTemporal().workDir, 'tls-'));
  // The client certificate stands in for a foreign CA: it is not a CA at all, so it cannot vouch for the server.
  writeFileSync(join(dir, 'other-ca.pem'), readFileSync(file('client-cert.pem')));
  const options = temporalConnectionOptions(proxyAddress, { caFile: join(dir, 'other-ca.pem'), certFile: file('client-cert.pem'), keyFile: file('client-key.pem') }, createSecretResolver({}));
  await expect(NativeConnection.connect(options)).rejects.toThrow(/certificate|tls|UnknownIssuer|invalid peer/i);
});

test('the configuration refuses half an mTLS pair, any plaintext production connection (Temporal access equals admin), and names an unreadable file', () => {
  expect(() => loadConfig({ TEMPORAL_TLS_CERT_FILE: file('client-cert.pem') })).toThrow('TEMPORAL_TLS_KEY_FILE: mTLS needs both');
  const production = { NODE_ENV: 'production', SOAR_API_KEYS_FILE: 'k.yaml', SOAR_PAYLOAD_KEYS_FILE: 'p.yaml', SOAR_ENDPOINT_LOCATIONS_FILE: join(REPO, 'config/endpoint-locations.example.yaml') };
  expect(() => loadConfig({ ...production, TEMPORAL_ADDRESS: 'temporal.soc.internal:7233' })).toThrow(/TEMPORAL_TLS: required when NODE_ENV=production/);
  // No way around it in production: not the old escape hatch, not a cluster on this machine.
  expect(() => loadConfig({ ...production, TEMPORAL_ADDRESS: 'temporal.soc.internal:7233', TEMPORAL_ALLOW_PLAINTEXT: 'true' })).toThrow(/TEMPORAL_ALLOW_PLAINTEXT: not accepted when NODE_ENV=production/);
  expect(() => loadConfig({ ...production, TEMPORAL_ADDRESS: '127.0.0.1:7233' })).toThrow(/TEMPORAL_TLS: required when NODE_ENV=production for 127\.0\.0\.1:7233/);
  expect(loadConfig({ ...production, TEMPORAL_ADDRESS: 'temporal.soc.internal:7233', TEMPORAL_TLS_CA_FILE: file('ca.pem') }).temporal.security).toMatchObject({ caFile: file('ca.pem') });
  // Outside production a plaintext development server stays possible.
  expect(loadConfig({ TEMPORAL_ADDRESS: '127.0.0.1:7233' }).temporal.security).toBeNull();
  expect(() => temporalConnectionOptions('x:7233', { caFile: '/nonexistent/ca.pem' }, createSecretResolver({}))).toThrow('TEMPORAL_TLS_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)');
});

test('a Temporal Cloud API key comes from its secret reference, implies TLS, and a missing one is named without any secret', () => {
  const secretValue = 'tmprl-cloud-key-Zq8pL2vX9w';
  const config = loadConfig({ TEMPORAL_ADDRESS: 'soc.a1b2c.tmprl.cloud:7233', TEMPORAL_API_KEY_REF: 'env:TEMPORAL_CLOUD_KEY' });
  const options = temporalConnectionOptions('soc.a1b2c.tmprl.cloud:7233', config.temporal.security, createSecretResolver({ TEMPORAL_CLOUD_KEY: secretValue }));
  expect(options).toEqual({ address: 'soc.a1b2c.tmprl.cloud:7233', tls: {}, apiKey: secretValue });

  let message = '';
  try {
    temporalConnectionOptions('soc.a1b2c.tmprl.cloud:7233', config.temporal.security, createSecretResolver({}));
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  expect(message).toMatch(/TEMPORAL_CLOUD_KEY/);
  expect(message).not.toContain(secretValue);
});
