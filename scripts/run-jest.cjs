// Starts jest with a throwaway test CA trusted through NODE_EXTRA_CA_CERTS. The vendor fakes speak HTTPS because
// @azure/identity and the Graph client refuse plain http (the Graph client only sends its token to https hosts),
// and Node reads NODE_EXTRA_CA_CERTS only when a process starts, so it must be set before jest (which may run the
// tests in its own process) starts. The CA, a localhost/127.0.0.1 server certificate and a client certificate (mTLS
// to Temporal) are made with node-forge (a devDependency) so that a fresh CI machine needs no openssl binary; keys come from Node's own crypto.
// Plain CommonJS: `npm test` runs it before anything is compiled.
const { spawn } = require('node:child_process');
const { existsSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { makeTls } = require('./tls.cjs');

const root = join(__dirname, '..');

const dir = mkdtempSync(join(tmpdir(), 'soar-test-tls-'));
makeTls(dir);
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
