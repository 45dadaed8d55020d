/**
 * One Temporal Schedule per tenant running the R4 credential-leak check weekly. Created at worker start; an existing
 * one gets the current spec and input (a changed domain or contact list reaches the next run).
 */
import type { Client } from '@temporalio/client';
import { ensureCalendarSchedule } from './calendarSchedule';
import type { Tenant } from '../../domain/tenant/tenantSchema';
import type { LeakCheckInput } from '../../workflows/leakCheckWorkflow';
import { tenantWorkflowId } from '../crypto/tenantPayloadCodec';

/** Mondays 06:00 Berlin time, before the support hours open; a missed run is caught up within a day. */
export const LEAK_CHECK_SCHEDULE_SPEC = { calendars: [{ dayOfWeek: 'MONDAY', hour: 6, minute: 0 }], timezone: 'Europe/Berlin' } as const;

export const leakCheckScheduleId = (tenantId: string) => `soar-leak-check-${tenantId}`;

/** The contacts told about new findings: security and IT people, and the management. */
export function leakCheckInputOf(tenant: Tenant): LeakCheckInput {
  const recipients = tenant.contacts.filter((c) => c.role === 'security' || c.role === 'it' || c.role === 'management').map((c) => c.email);
  return { tenantId: tenant.id, domain: tenant.mailDomain, recipients: [...new Set(recipients)], language: tenant.language };
}

export async function ensureLeakCheckSchedules({ client, taskQueue, tenants }: { client: Client; taskQueue: string; tenants: readonly Tenant[] }): Promise<void> {
  for (const tenant of tenants) {
    await ensureCalendarSchedule({
      client,
      scheduleId: leakCheckScheduleId(tenant.id),
      spec: LEAK_CHECK_SCHEDULE_SPEC,
      workflowType: 'leakCheckWorkflow',
      workflowId: tenantWorkflowId('leak-check', tenant.id, 'weekly'),
      taskQueue,
      input: leakCheckInputOf(tenant),
    });
  }
}
