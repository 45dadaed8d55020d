/**
 * One Temporal Schedule per tenant with Graph credentials, pulling its Microsoft 365 security alerts every few minutes
 * (R3). Runs never overlap; a missed run is not caught up, the next one reads from the same watermark. A tenant whose
 * secret is not available to this worker, or whose secret Entra ID refuses (R13), gets its schedule paused with the reason as the note (visible in the
 * Temporal UI), and resumed once it is; a schedule an operator paused stays paused. A tenant that lost its Graph
 * credentials loses its schedule.
 */
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Tenant } from '../../domain/tenant/tenantSchema';
import type { GraphAlertPullInput } from '../../workflows/graphAlertPullWorkflow';
import { logLine } from '../logger';
import { upsertSchedule } from './upsertSchedule';
import { tenantWorkflowId } from '../crypto/tenantPayloadCodec';

export const graphPullScheduleId = (tenantId: string) => `soar-graph-pull-${tenantId}`;

const ENGINE_PAUSE = 'Paused by the engine: ';

export interface GraphPullScheduleSetup {
  client: Client;
  taskQueue: string;
  tenants: readonly Tenant[];
  intervalMinutes: number;
  /** Why this tenant cannot be pulled now (its secret is missing or Entra ID refuses it), or null when it can. */
  blockedReason: (tenant: Tenant) => string | null | Promise<string | null>;
}

export async function ensureGraphPullSchedules({ client, taskQueue, tenants, intervalMinutes, blockedReason }: GraphPullScheduleSetup): Promise<void> {
  for (const tenant of tenants) {
    const scheduleId = graphPullScheduleId(tenant.id);
    if (!tenant.credentials?.graph) {
      await client.schedule
        .getHandle(scheduleId)
        .delete()
        .catch((error: unknown) => {
          if (!(error instanceof ScheduleNotFoundError)) throw error;
        });
      continue;
    }
    const input: GraphAlertPullInput = { tenantId: tenant.id };
    const definition = {
      spec: { intervals: [{ every: `${intervalMinutes} minutes` }] },
      action: { type: 'startWorkflow', workflowType: 'graphAlertPullWorkflow', workflowId: tenantWorkflowId('graph-pull', tenant.id, 'scheduled'), taskQueue, args: [input] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    } satisfies Omit<ScheduleOptions, 'scheduleId'>;
    await upsertSchedule(client, scheduleId, definition);
    const handle = client.schedule.getHandle(scheduleId);
    const { state } = await handle.describe();
    const reason = await blockedReason(tenant);
    if (reason !== null) {
      logLine('warn', 'Microsoft 365 alert pull paused', { tenantId: tenant.id, scheduleId, reason });
      if (!state.paused || state.note?.startsWith(ENGINE_PAUSE)) await handle.pause(`${ENGINE_PAUSE}${reason}`);
    } else if (state.paused && state.note?.startsWith(ENGINE_PAUSE)) {
      await handle.unpause('Resumed by the engine: the Graph credentials are available');
    }
  }
}
