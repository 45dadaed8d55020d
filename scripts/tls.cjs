// Certificates for mTLS between the engine and Temporal, and for the tests' HTTPS fakes: a CA, a server certificate
// for the given names and a client certificate, made with node-forge and Node's own key generation so that no
// openssl binary is needed. Used by scripts/run-jest.cjs (a throwaway CA per test run) and scripts/make-tls.cjs
// (an operator's certificates for docker-compose.yml). Plain CommonJS: it runs before anything is compiled.
const { generateKeyPairSync, randomBytes } = require('node:crypto');
const { mkdirSync, writeFileSync } = require('node:fs');
const { isIP } = require('node:net');
const { join } = require('node:path');
const forge = require('node-forge');

const DAY_MS = 24 * 60 * 60 * 1000;

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' })),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' })),
  };
}

function certificate({ subject, issuer, publicKey, signingKey, extensions, validDays }) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + validDays * DAY_MS);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(extensions);
  cert.sign(signingKey, forge.md.sha256.create());
  return cert;
}

const leafUsage = [
  { name: 'basicConstraints', cA: false },
  { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
];

/**
 * Writes into `dir`: ca.pem, the server certificate `<server>.pem` with `<server>-key.pem` (its names: DNS names and
 * IP addresses) and the client certificate `<client>.pem` with `<client>-key.pem`. The CA's key is not kept.
 */
function makeTls(dir, { names = ['localhost', '127.0.0.1'], validDays = 2, server = 'cert', serverKey = 'key', client = 'client-cert', clientKey = 'client-key', clientName = 'soar-worker', caName = 'SOAR throwaway test CA' } = {}) {
  mkdirSync(dir, { recursive: true });
  const caKeys = keyPair();
  const issuer = [{ name: 'commonName', value: caName }];
  const ca = certificate({
    subject: issuer,
    issuer,
    publicKey: caKeys.publicKey,
    signingKey: caKeys.privateKey,
    validDays,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
  const serverKeys = keyPair();
  const altNames = names.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name }));
  const serverCert = certificate({
    subject: [{ name: 'commonName', value: names[0] ?? 'localhost' }],
    issuer,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    validDays,
    extensions: [...leafUsage, { name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames }],
  });
  // A client certificate of the same CA: the engine's processes (and Temporal's own system workers) present it.
  const clientKeys = keyPair();
  const clientCert = certificate({
    subject: [{ name: 'commonName', value: clientName }],
    issuer,
    publicKey: clientKeys.publicKey,
    signingKey: caKeys.privateKey,
    validDays,
    extensions: [...leafUsage, { name: 'extKeyUsage', clientAuth: true }],
  });
  writeFileSync(join(dir, 'ca.pem'), forge.pki.certificateToPem(ca));
  writeFileSync(join(dir, `${server}.pem`), forge.pki.certificateToPem(serverCert));
  writeFileSync(join(dir, `${serverKey}.pem`), forge.pki.privateKeyToPem(serverKeys.privateKey), { mode: 0o600 });
  writeFileSync(join(dir, `${client}.pem`), forge.pki.certificateToPem(clientCert));
  writeFileSync(join(dir, `${clientKey}.pem`), forge.pki.privateKeyToPem(clientKeys.privateKey), { mode: 0o600 });
}

module.exports = { makeTls };
