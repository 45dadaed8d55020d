// Installs the project's npm dependencies when they are missing or older than package-lock.json,
// so that `npm start`, `npm test` and `npm run bench` work on a fresh clone with one command.
// Plain CommonJS on purpose: it may run on the machine's own Node before Node 24 is installed.
const { createHash } = require('node:crypto');
const { execSync } = require('node:child_process');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stampFile = join(root, 'node_modules', '.soar-install-stamp');
const lock = readFileSync(join(root, 'package-lock.json'));
const wanted = createHash('sha256').update(lock).update(readFileSync(join(root, 'package.json'))).digest('hex');
const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';

if (current !== wanted || !existsSync(join(root, 'node_modules', '.bin', 'node'))) {
  console.error('Installing dependencies (npm ci)...');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  writeFileSync(stampFile, `${wanted}\n`);
}
