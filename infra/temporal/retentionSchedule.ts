/**
 * The Temporal Schedule that runs the R14 purge once a day. Created at worker start; when it exists already, its
 * spec and the tenants' retention in its input are brought up to date (a changed tenant file reaches the next run).
 */
import type { Client } from '@temporalio/client';
import { ensureCalendarSchedule } from './calendarSchedule';
import type { TenantRetention } from '../../domain/retention';
import type { RetentionPurgeInput } from '../../workflows/retentionPurgeWorkflow';

export const RETENTION_SCHEDULE_ID = 'soar-retention-purge';

/** 03:15 Berlin time, outside the support hours; a missed run is caught up within a day, runs never overlap. */
export const RETENTION_SCHEDULE_SPEC = { calendars: [{ hour: 3, minute: 15 }], timezone: 'Europe/Berlin' } as const;

export interface RetentionScheduleSetup {
  client: Client;
  taskQueue: string;
  tenants: readonly TenantRetention[];
  scheduleId?: string;
}

/** Creates the daily purge schedule, or updates the existing one; safe to call from every worker start. */
export async function ensureRetentionSchedule({ client, taskQueue, tenants, scheduleId = RETENTION_SCHEDULE_ID }: RetentionScheduleSetup): Promise<void> {
  const input: RetentionPurgeInput = { tenants: [...tenants] };
  await ensureCalendarSchedule({ client, scheduleId, spec: RETENTION_SCHEDULE_SPEC, workflowType: 'retentionPurgeWorkflow', workflowId: 'retention-purge', taskQueue, input });
}
