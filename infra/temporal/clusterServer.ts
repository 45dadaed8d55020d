/**
 * Runs Temporal as production runs it, on this machine: the server built from the Go module proxy, on PostgreSQL,
 * with the configuration of deploy/temporal (mTLS on the frontend), its schema set up by deploy/temporal/setup-schema.sh.
 * For the production topology test and `npm run bench:cluster`; docker-compose.yml runs the same files in containers.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort, freePortBelow } from '../freePort';
import { exitedBeforeReady, startFailure, supervise } from '../supervisedChild';
import { waitForTemporal } from './readiness';
import { resolveTemporalServer } from './serverBinary';

const run = promisify(execFile);

/** The folder with the server's configuration and schema script, as the compose file mounts it. */
export const TEMPORAL_DEPLOY_DIR = resolve(__dirname, '../../deploy/temporal');

export interface ClusterTls {
  /** The frontend's certificate and key, and the CA whose client certificates it accepts. */
  certFile: string;
  keyFile: string;
  caFile: string;
  /** The client certificate of the server's own system workers (and of the test's clients). */
  clientCertFile: string;
  clientKeyFile: string;
  /** The name in the frontend's certificate. */
  serverName: string;
}

export interface ClusterServerOptions {
  toolsDir: string;
  postgres: { host: string; port: number; user: string; password?: string };
  /** Database names (default temporal and temporal_visibility), so several clusters can share one PostgreSQL. */
  databases?: { temporal: string; visibility: string };
  tls: ClusterTls;
  log: (line: string) => void;
}

export interface ClusterServer {
  address: string;
  /** Connection options for a client of this cluster (mTLS with the client certificate). */
  connectionOptions(): { address: string; tls: { serverRootCACertificate: Buffer; clientCertPair: { crt: Buffer; key: Buffer }; serverNameOverride: string } };
  stop(): Promise<void>;
}

export async function startClusterServer(options: ClusterServerOptions): Promise<ClusterServer> {
  const build = await resolveTemporalServer(options.toolsDir, options.log);
  const databases = options.databases ?? { temporal: 'temporal', visibility: 'temporal_visibility' };
  const dbEnv = {
    TEMPORAL_DB_HOST: options.postgres.host,
    TEMPORAL_DB_PORT: String(options.postgres.port),
    TEMPORAL_DB_USER: options.postgres.user,
    TEMPORAL_DB_PASSWORD: options.postgres.password ?? '',
    TEMPORAL_DB_NAME: databases.temporal,
    TEMPORAL_VISIBILITY_DB_NAME: databases.visibility,
  };
  await run('sh', [join(TEMPORAL_DEPLOY_DIR, 'setup-schema.sh')], {
    env: { ...process.env, ...dbEnv, TEMPORAL_SQL_TOOL: build.sqlTool, TEMPORAL_SCHEMA_DIR: build.schemaDir },
    maxBuffer: 16 * 1024 * 1024,
  });
  const port = async () => String(await freePort());
  // Membership ports go into a smallint column of Temporal's schema.
  const membershipPort = async () => String(await freePortBelow(32_768));
  const ports = {
    TEMPORAL_FRONTEND_PORT: await port(),
    TEMPORAL_FRONTEND_HTTP_PORT: await port(),
    TEMPORAL_FRONTEND_MEMBERSHIP_PORT: await membershipPort(),
    TEMPORAL_HISTORY_PORT: await port(),
    TEMPORAL_HISTORY_MEMBERSHIP_PORT: await membershipPort(),
    TEMPORAL_MATCHING_PORT: await port(),
    TEMPORAL_MATCHING_MEMBERSHIP_PORT: await membershipPort(),
    TEMPORAL_WORKER_PORT: await port(),
    TEMPORAL_WORKER_MEMBERSHIP_PORT: await membershipPort(),
    TEMPORAL_METRICS_PORT: await port(),
  };
  const { tls } = options;
  const env = {
    ...process.env,
    ...dbEnv,
    ...ports,
    TEMPORAL_SERVER_TLS_CERT_FILE: tls.certFile,
    TEMPORAL_SERVER_TLS_KEY_FILE: tls.keyFile,
    TEMPORAL_SERVER_TLS_CA_FILE: tls.caFile,
    TEMPORAL_SERVER_TLS_CLIENT_CERT_FILE: tls.clientCertFile,
    TEMPORAL_SERVER_TLS_CLIENT_KEY_FILE: tls.clientKeyFile,
    TEMPORAL_SERVER_TLS_SERVER_NAME: tls.serverName,
  };
  const child = spawn(build.server, ['--root', TEMPORAL_DEPLOY_DIR, '--config', 'config', '--env', 'production', 'start'], {
    cwd: TEMPORAL_DEPLOY_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const supervised = supervise(child);
  const address = `127.0.0.1:${ports.TEMPORAL_FRONTEND_PORT}`;
  const connectionOptions = () => ({
    address,
    tls: {
      serverRootCACertificate: readFileSync(tls.caFile),
      clientCertPair: { crt: readFileSync(tls.clientCertFile), key: readFileSync(tls.clientKeyFile) },
      serverNameOverride: tls.serverName,
    },
  });
  const stop = () => supervised.stop('SIGTERM', 15_000);
  try {
    // Until the frontend answers over mTLS and its system namespace is there (the server creates it at first start).
    await waitForTemporal({ address, namespace: 'temporal-system', timeoutMs: 120_000, connection: connectionOptions, exited: exitedBeforeReady(child, 'the Temporal server') });
  } catch (error) {
    await stop();
    throw startFailure(error, supervised);
  }
  options.log(`Temporal server ${address} ready on PostgreSQL (pid ${child.pid})`);
  return { address, connectionOptions, stop };
}
