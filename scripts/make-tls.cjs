// `node scripts/make-tls.cjs <folder> [server names...]`: the certificates docker-compose.yml mounts for mTLS between
// the engine and Temporal: ca.pem, temporal.pem + temporal-key.pem (the server; names default to temporal, localhost
// and 127.0.0.1) and engine.pem + engine-key.pem (the client certificate of every engine process). Valid for one
// year; the CA's key is not kept, so a renewal makes a new set. The production topology test uses the same command.
const { resolve } = require('node:path');
const { makeTls } = require('./tls.cjs');

const [folder, ...names] = process.argv.slice(2);
if (!folder) {
  process.stderr.write('usage: node scripts/make-tls.cjs <folder> [server names...]\n');
  process.exit(2);
}
const target = resolve(folder);
makeTls(target, {
  names: names.length > 0 ? names : ['temporal', 'localhost', '127.0.0.1'],
  validDays: 365,
  server: 'temporal',
  serverKey: 'temporal-key',
  client: 'engine',
  clientKey: 'engine-key',
  clientName: 'soar-engine',
  caName: 'SOAR engine to Temporal CA',
});
process.stdout.write(`Wrote ca.pem, temporal.pem, temporal-key.pem, engine.pem and engine-key.pem to ${target}\n`);
