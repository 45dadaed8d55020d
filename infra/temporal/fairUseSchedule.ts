/**
 * The Temporal Schedule that runs the R15 fair-use check once a day. Created at worker start; when it exists already,
 * its spec and input (the tenants' baselines, the SOC management's addresses) are brought up to date.
 */
import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Tenant } from '../../domain/tenant/tenantSchema';
import type { FairUseCheckInput } from '../../workflows/fairUseCheckWorkflow';
import { upsertSchedule } from './upsertSchedule';

export const FAIR_USE_SCHEDULE_ID = 'soar-fair-use-check';

/** 06:45 Berlin time, before the support hours; a missed run is caught up within a day, runs never overlap. */
export const FAIR_USE_SCHEDULE_SPEC = { calendars: [{ hour: 6, minute: 45 }], timezone: 'Europe/Berlin' } as const;

export function fairUseCheckInputOf(tenants: readonly Tenant[], recipients: readonly string[]): FairUseCheckInput {
  return { tenants: tenants.map((t) => ({ tenantId: t.id, name: t.name, baseline: t.fairUse.monthlyIncidentBaseline })), recipients: [...recipients] };
}

/** Creates the daily fair-use schedule, or updates the existing one; safe to call from every worker start. */
export async function ensureFairUseSchedule({ client, taskQueue, input }: { client: Client; taskQueue: string; input: FairUseCheckInput }): Promise<void> {
  const definition = {
    spec: { calendars: FAIR_USE_SCHEDULE_SPEC.calendars.map((c) => ({ ...c })), timezone: FAIR_USE_SCHEDULE_SPEC.timezone },
    action: { type: 'startWorkflow', workflowType: 'fairUseCheckWorkflow', workflowId: 'fair-use-check', taskQueue, args: [input] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  } satisfies Omit<ScheduleOptions, 'scheduleId'>;
  await upsertSchedule(client, FAIR_USE_SCHEDULE_ID, definition);
}
