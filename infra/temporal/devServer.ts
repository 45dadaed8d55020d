/** Starts the Temporal CLI's dev server as a child process and waits until it really answers. */
import { spawn } from 'node:child_process';
import { exitedBeforeReady, startFailure, supervise } from '../supervisedChild';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ENGINE_SEARCH_ATTRIBUTES } from '../../domain/searchAttributes';
import { waitForTemporal } from './readiness';

export interface DevServerOptions {
  cliPath: string;
  namespace: string;
  /** SQLite file for durable state; omitted means in memory (tests). */
  dbFile?: string | undefined;
  ip?: string;
  port: number;
  /** The web UI's port, or `null` for a headless server. */
  uiPort: number | null;
  /** The UI's base path and remote codec, when it is served behind the engine's API (api/dashboard/temporalUi.ts). */
  uiPublicPath?: string;
  uiCodecEndpoint?: string;
  readyTimeoutMs?: number;
  log: (line: string) => void;
}

export interface RunningDevServer {
  readonly address: string;
  readonly uiUrl: string | null;
  readonly pid: number;
  stop(): Promise<void>;
}

const CLI_TYPE_NAMES = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
} as const;

export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const address = `${ip}:${options.port}`;
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(options.port), '--namespace', options.namespace];
  args.push('--log-level', 'warn', '--log-format', 'json');
  // Task queue fairness (server >= 1.29): the vendor calls' fairness key, the tenant, shares each vendor's rate between
  // tenants. One partition per task queue: a queue's rate limit is split over its partitions, and one host needs no more.
  args.push('--dynamic-config-value', 'matching.enableFairness=true');
  args.push('--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1', '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1');
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.uiPublicPath) args.push('--ui-public-path', options.uiPublicPath);
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  // Applied only when the namespace is first created in the DB file; prepareNamespace() covers older files.
  for (const key of ENGINE_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`);

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const supervised = supervise(child);
  const stop = () => supervised.stop('SIGTERM', 10_000);

  try {
    await waitForTemporal({ address, namespace: options.namespace, timeoutMs: options.readyTimeoutMs ?? 90_000, exited: exitedBeforeReady(child, 'Temporal dev server') });
  } catch (error) {
    await stop();
    throw startFailure(error, supervised);
  }
  options.log(`Temporal dev server ready at ${address} (pid ${child.pid})`);
  return {
    address,
    uiUrl: options.uiPort === null ? null : `http://${ip}:${options.uiPort}`,
    pid: child.pid ?? -1,
    stop,
  };
}
