// Starts jest with a throwaway test CA trusted through NODE_EXTRA_CA_CERTS. The vendor fakes speak HTTPS because
// @azure/identity and the Graph client refuse plain http (the Graph client only sends its token to https hosts),
// and Node reads NODE_EXTRA_CA_CERTS only when a process starts, so it must be set before jest (which may run the
// tests in its own process) starts. The CA, a localhost/127.0.0.1 server certificate and a client certificate (mTLS
// to Temporal) are made with node-forge (a devDependency) so that a fresh CI machine needs no openssl binary; keys come from Node's own crypto.
// Plain CommonJS: `npm test` runs it before anything is compiled.
const { generateKeyPairSync, randomBytes } = require('node:crypto');
const { spawn } = require('node:child_process');
const { existsSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const forge = require('node-forge');

const root = join(__dirname, '..');

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' })),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' })),
  };
}

function certificate({ subject, issuer, publicKey, signingKey, extensions }) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(extensions);
  cert.sign(signingKey, forge.md.sha256.create());
  return cert;
}

function makeTestTls(dir) {
  const caKeys = keyPair();
  const caName = [{ name: 'commonName', value: 'SOAR throwaway test CA' }];
  const ca = certificate({
    subject: caName,
    issuer: caName,
    publicKey: caKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
  const serverKeys = keyPair();
  const server = certificate({
    subject: [{ name: 'commonName', value: 'localhost' }],
    issuer: caName,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  // A client certificate of the same CA: the mTLS tests' worker and client present it.
  const clientKeys = keyPair();
  const client = certificate({
    subject: [{ name: 'commonName', value: 'soar-worker' }],
    issuer: caName,
    publicKey: clientKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  writeFileSync(join(dir, 'ca.pem'), forge.pki.certificateToPem(ca));
  writeFileSync(join(dir, 'cert.pem'), forge.pki.certificateToPem(server));
  writeFileSync(join(dir, 'key.pem'), forge.pki.privateKeyToPem(serverKeys.privateKey), { mode: 0o600 });
  writeFileSync(join(dir, 'client-cert.pem'), forge.pki.certificateToPem(client));
  writeFileSync(join(dir, 'client-key.pem'), forge.pki.privateKeyToPem(clientKeys.privateKey), { mode: 0o600 });
}

const dir = mkdtempSync(join(tmpdir(), 'soar-test-tls-'));
makeTestTls(dir);
const cleanUp = () => rmSync(dir, { recursive: true, force: true });

// The project's Node (the `node` npm package) when installed, as `npm test` would use it.
const projectNode = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
const nodeBinary = existsSync(projectNode) ? projectNode : process.execPath;
const child = spawn(nodeBinary, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SOAR_TEST_TLS_DIR: dir, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') },
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  cleanUp();
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
