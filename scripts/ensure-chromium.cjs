// Makes sure a headless Chromium is there for the dashboard's browser tests (test/dashboard) and prints its path.
// SOAR_CHROMIUM_PATH names another executable. Otherwise Debian's `chromium` package (/usr/bin/chromium) is used:
// missing and running as root (CI), it is installed with apt-get; missing and not root, this fails saying what to install.
// Plain CommonJS: the jest global setup calls it, and it runs on its own: `node scripts/ensure-chromium.cjs`.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

function ensureChromium(log = (line) => process.stderr.write(`[chromium] ${line}\n`)) {
  const override = process.env.SOAR_CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) throw new Error(`SOAR_CHROMIUM_PATH=${override} does not exist`);
    return override;
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    throw new Error(
      `The dashboard's browser tests need Chromium at ${DEBIAN_CHROMIUM}: run \`sudo apt-get install -y --no-install-recommends chromium\` ` +
        '(Debian/Ubuntu), or set SOAR_CHROMIUM_PATH to a Chromium or Chrome executable.',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => {
    log(`running: apt-get ${args.join(' ')}`);
    execFileSync('apt-get', args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
  };
  run(['update']);
  run(['install', '-y', '--no-install-recommends', 'chromium']);
  if (!existsSync(DEBIAN_CHROMIUM)) throw new Error(`apt-get installed chromium, but ${DEBIAN_CHROMIUM} is still missing`);
  log(`installed ${execFileSync(DEBIAN_CHROMIUM, ['--version'], { encoding: 'utf8' }).trim()}`);
  return DEBIAN_CHROMIUM;
}

module.exports = { ensureChromium, DEBIAN_CHROMIUM };

if (require.main === module) {
  try {
    process.stdout.write(`${ensureChromium()}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
