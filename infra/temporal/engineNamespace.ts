/**
 * What a worker process sets up in its namespace before it runs (idempotent, safe on every start): the search
 * attributes and the agreed retention (R14), the daily purge schedule (R14), the weekly leak checks (R4) and the
 * per-tenant Microsoft 365 alert pulls (R3), the daily fair-use check (R15).
 */
import { Client } from '@temporalio/client';
import { connectClient } from './clientConnection';
import { engineDataConverter } from './dataConverter';
import type { PayloadCodec } from '@temporalio/common';
import { namespaceRetentionDays, retentionOf } from '../../domain/retention';
import type { Tenant } from '../../domain/tenant/tenantSchema';
import type { TemporalConnectionOptions } from './connectionOptions';
import { ensureFairUseSchedule, fairUseCheckInputOf } from './fairUseSchedule';
import { ensureGraphPullSchedules } from './graphPullSchedule';
import { ensureLeakCheckSchedules } from './leakCheckSchedule';
import { prepareNamespace } from './prepareNamespace';
import { ensureRetentionSchedule } from './retentionSchedule';

export interface EngineNamespaceSetup {
  /** Where and how to connect (infra/temporal/connectionOptions.ts). */
  connection: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  /** The configured minimum retention; the namespace keeps the longest agreed one. */
  retentionDays: number;
  tenants: readonly Tenant[];
  graphPull: { intervalMinutes: number; blockedReason: (tenant: Tenant) => string | null | Promise<string | null> };
  /** E-mail addresses of the SOC's management, told of tenants above fair use (R15); none: the check keeps notices due. */
  socManagement?: readonly string[];
  /** The engine's payload codec: the schedules' arguments (tenants, contacts' addresses) are stored encrypted like any payload. */
  payloadCodec: PayloadCodec;
}

export async function prepareEngineNamespace(setup: EngineNamespaceSetup): Promise<void> {
  const { namespace, taskQueue, tenants } = setup;
  const temporal = await connectClient(setup.connection);
  const { connection } = temporal;
  try {
    // R14: Temporal keeps the longest agreed retention; the daily purge schedule deletes shorter ones' data on time.
    const retention = retentionOf(tenants);
    await prepareNamespace({ connection, namespace, retentionDays: namespaceRetentionDays(setup.retentionDays, retention) });
    const client = new Client({ connection, namespace, dataConverter: engineDataConverter(setup.payloadCodec) });
    await ensureRetentionSchedule({ client, taskQueue, tenants: retention });
    await ensureLeakCheckSchedules({ client, taskQueue, tenants });
    await ensureGraphPullSchedules({ client, taskQueue, tenants, ...setup.graphPull });
    await ensureFairUseSchedule({ client, taskQueue, input: fairUseCheckInputOf(tenants, setup.socManagement ?? []) });
  } finally {
    await temporal.close();
  }
}
