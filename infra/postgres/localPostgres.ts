/**
 * A throwaway PostgreSQL server of the project's own, for tests and benchmarks: `initdb` into a temporary folder, a
 * free port on 127.0.0.1, no system cluster touched. PostgreSQL refuses to run as root, so as root it runs as the
 * `postgres` user the Debian package creates. Where no server is installed it is installed from Debian's packages
 * (as root), or the start fails with the command to run.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../freePort';
import { supervise } from '../supervisedChild';

const run = promisify(execFile);

/** Thrown when no PostgreSQL server can be found or installed on this machine. */
export class PostgresUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`No PostgreSQL server: ${reason}. Install it (Debian: apt-get install postgresql) or set SOAR_POSTGRES_BIN to its bin folder.`);
  }
}

export interface LocalPostgres {
  /** postgres://soar@127.0.0.1:<port>/postgres: the superuser's connection to the maintenance database. */
  adminUrl: string;
  port: number;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** The same server's URL for a database (created or not). */
  urlOf(database: string): string;
  stop(): Promise<void>;
}

export const POSTGRES_USER = 'soar';

export async function startLocalPostgres(log: (line: string) => void = () => undefined, binDir = process.env['SOAR_POSTGRES_BIN']): Promise<LocalPostgres> {
  const bin = binDir ?? (await findOrInstallBinaries(log));
  // As root, the server's programs run as the postgres user (PostgreSQL refuses root).
  const ids = userInfo().uid === 0 ? await postgresUserIds() : null;
  const asUser = ids ? { uid: ids[0], gid: ids[1] } : {};
  const dataDir = mkdtempSync(join(tmpdir(), 'soar-postgres-'));
  if (ids) chownSync(dataDir, ...ids);
  const initArgs = ['-D', dataDir, '-U', POSTGRES_USER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'];
  await run(join(bin, 'initdb'), initArgs, { maxBuffer: 16 * 1024 * 1024, cwd: dataDir, ...asUser }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw new PostgresUnavailableError(`initdb failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  const port = await freePort();
  // Durability is not what a throwaway server is for: no fsync, so tests and benchmarks do not wait on the disk.
  const serverArgs = ['-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'];
  const child = spawn(join(bin, 'postgres'), serverArgs, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dataDir, ...asUser });
  const supervised = supervise(child, 100);
  const urlOf = (database: string) => `postgres://${POSTGRES_USER}@127.0.0.1:${port}/${database}`;
  const stop = async () => {
    // SIGINT: PostgreSQL's fast shutdown (ends sessions, writes a checkpoint).
    await supervised.stop('SIGINT', 10_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilAccepting(urlOf('postgres'), child, supervised.output);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`PostgreSQL ready on 127.0.0.1:${port} (pid ${child.pid})`);
  return {
    adminUrl: urlOf('postgres'),
    port,
    urlOf,
    createDatabase: async (name) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const admin = new Client({ connectionString: urlOf('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return urlOf(name);
    },
    stop,
  };
}

/** The newest installed server's bin folder; installed from Debian's packages when missing and running as root. */
async function findOrInstallBinaries(log: (line: string) => void): Promise<string> {
  const found = installedBinDir();
  if (found) return found;
  if (userInfo().uid !== 0 || !existsSync('/usr/bin/apt-get')) throw new PostgresUnavailableError('no server in /usr/lib/postgresql');
  log('Installing PostgreSQL from Debian packages (first run only)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['update'], { env, maxBuffer: 64 * 1024 * 1024 });
    await run('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    throw new PostgresUnavailableError(`apt-get install postgresql failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const installed = installedBinDir();
  if (!installed) throw new PostgresUnavailableError('apt-get installed no server into /usr/lib/postgresql');
  return installed;
}

function installedBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

async function postgresUserIds(): Promise<[number, number]> {
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return [uid, gid];
  } catch {
    throw new PostgresUnavailableError('running as root needs the postgres user (the Debian package creates it)');
  }
}

async function waitUntilAccepting(url: string, child: ChildProcess, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new PostgresUnavailableError(`the server exited with ${child.exitCode}:\n${output().slice(-2000)}`);
    const probe = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await probe.connect();
      await probe.query('SELECT 1');
      await probe.end();
      return;
    } catch {
      await probe.end().catch(() => undefined);
      if (Date.now() > deadline) throw new PostgresUnavailableError(`the server did not accept connections within ${timeoutMs} ms:\n${output().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
