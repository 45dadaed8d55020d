/**
 * The Temporal Schedule that runs the R15 fair-use check once a day. Created at worker start; when it exists already,
 * its spec and input (the tenants' baselines, the SOC management's addresses) are brought up to date.
 */
import type { Client } from '@temporalio/client';
import type { Tenant } from '../../domain/tenant/tenantSchema';
import type { FairUseCheckInput } from '../../workflows/fairUseCheckWorkflow';
import { ensureCalendarSchedule } from './calendarSchedule';

export const FAIR_USE_SCHEDULE_ID = 'soar-fair-use-check';

/** 06:45 Berlin time, before the support hours; a missed run is caught up within a day, runs never overlap. */
export const FAIR_USE_SCHEDULE_SPEC = { calendars: [{ hour: 6, minute: 45 }], timezone: 'Europe/Berlin' } as const;

export function fairUseCheckInputOf(tenants: readonly Tenant[], recipients: readonly string[]): FairUseCheckInput {
  return { tenants: tenants.map((t) => ({ tenantId: t.id, name: t.name, baseline: t.fairUse.monthlyIncidentBaseline })), recipients: [...recipients] };
}

/** Creates the daily fair-use schedule, or updates the existing one; safe to call from every worker start. */
export async function ensureFairUseSchedule({ client, taskQueue, input }: { client: Client; taskQueue: string; input: FairUseCheckInput }): Promise<void> {
  await ensureCalendarSchedule({ client, scheduleId: FAIR_USE_SCHEDULE_ID, spec: FAIR_USE_SCHEDULE_SPEC, workflowType: 'fairUseCheckWorkflow', workflowId: 'fair-use-check', taskQueue, input });
}
