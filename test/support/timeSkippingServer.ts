/**
 * Temporal's Java time-skipping test server (io.temporal:temporal-test-server from Maven Central), fetched on first use
 * by Maven into the git-ignored `.tools/` with a wrapper script that `TestWorkflowEnvironment.createTimeSkipping` runs
 * as an existing-path executable. A missing prerequisite fails with what to install.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './testEnv';

const run = promisify(execFile);
/** Must match the version in test/support/temporal-test-server/pom.xml. */
export const TEST_SERVER_VERSION = '1.27.0';
const HOME = join(REPO, '.tools', `temporal-test-server-${TEST_SERVER_VERSION}`);
const POM = join(REPO, 'test/support/temporal-test-server/pom.xml');

/** The wrapper's path: `<wrapper> <port> [--enable-time-skipping]` starts the Java test server. */
export async function ensureTimeSkippingServer(): Promise<string> {
  const wrapper = join(HOME, 'temporal-test-server');
  if (existsSync(wrapper)) return wrapper;
  for (const [tool, args] of [['java', ['-version']], ['mvn', ['-v']]] as const) {
    try {
      await run(tool, [...args], { timeout: 60_000 });
    } catch {
      throw new Error(`The real-calendar workflow tests need Java 11+ and Maven to fetch the Temporal test server (Debian: apt-get install default-jre-headless maven); '${tool}' is missing`);
    }
  }
  const staging = `${HOME}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await run('mvn', ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${join(staging, 'lib')}`], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  if (!existsSync(join(staging, 'lib', `temporal-test-server-${TEST_SERVER_VERSION}.jar`))) throw new Error(`Maven did not fetch temporal-test-server ${TEST_SERVER_VERSION} (${POM})`);
  // The classpath is relative to the script, so the folder may move; exec keeps the process id the SDK stops.
  writeFileSync(
    join(staging, 'temporal-test-server'),
    '#!/bin/sh\nexec java -Xmx256m -cp "$(dirname "$0")/lib/*" io.temporal.testserver.TestServer "$@"\n',
  );
  chmodSync(join(staging, 'temporal-test-server'), 0o755);
  try {
    renameSync(staging, HOME);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(wrapper)) throw error; // another process finished first
  }
  return wrapper;
}
