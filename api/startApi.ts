/** Wires the API process: Temporal client, services, the express app, and a listening server that closes gracefully. */
import { Client, Connection } from '@temporalio/client';
import type { Server } from 'node:http';
import type { EngineConfig } from '../infra/config';
import type { TenantCatalog } from '../domain/tenant/loadTenants';
import type { Tenant } from '../domain/tenant/tenantSchema';
import type { TenantPolicy } from '../domain/tenantPolicy';
import { createApp } from './app';
import type { ApiKeyRegistry } from './auth/apiKeys';
import { AlertIntake } from './services/alertIntake';
import { AlertQueries } from './services/alertQueries';
import { AlertTriage } from './services/alertTriage';
import { AnalystQueue } from './services/analystQueue';
import { WorkOrders } from './services/workOrders';
import { PlaybookRuns, type PlaybookSource } from './services/playbookRuns';
import { AlertAudit } from './services/alertAudit';
import { Replayer } from '../infra/audit/replayer';
import { WORKFLOWS_PATH } from '../workers/alertWorker';

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

export async function startApi(
  config: EngineConfig,
  address: string,
  files: { tenants: TenantCatalog; keys: ApiKeyRegistry; playbooks: PlaybookSource; policyFor: (tenant: Tenant) => TenantPolicy },
  logError: (line: string, error: unknown) => void,
): Promise<RunningApi> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const queries = new AlertQueries({ client, namespace: config.temporal.namespace });
  const app = createApp({
    intake: new AlertIntake({ client, taskQueue: config.temporal.taskQueue, tenants: files.tenants, policyFor: files.policyFor, now: () => new Date() }),
    queries,
    playbookRuns: new PlaybookRuns({ client, queries, playbooks: files.playbooks }),
    // The workflow bundle for replay is built on the first replay request, once per process.
    audit: new AlertAudit({ client, replayer: new Replayer({ workflowsPath: WORKFLOWS_PATH }) }),
    triage: new AlertTriage({ client }),
    queue: new AnalystQueue({ client, namespace: config.temporal.namespace, tenants: files.tenants }),
    workOrders: new WorkOrders({ client, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, tenants: files.tenants, now: () => new Date() }),
    keys: files.keys,
    tenants: files.tenants,
    bodyLimitBytes: config.api.bodyLimitBytes,
    isReady: async () => {
      await connection.workflowService.getSystemInfo({});
      return true;
    },
    logError,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.api.port, config.api.host, () => resolve(listening));
    listening.once('error', reject);
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.api.port;
  return {
    url: `http://${config.api.host}:${port}`,
    stop: async () => {
      // Finish requests in flight, then drop keep-alive connections that linger.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(force);
      await connection.close();
    },
  };
}
