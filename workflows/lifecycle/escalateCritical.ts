/**
 * R19: a critical incident no analyst acknowledges escalates along the tenant's on-call chain, step by step
 * after each step's timeout, and finally to the customer's management mobile number. Every page is recorded.
 */
import { condition } from '@temporalio/workflow';
import type { AlertRecord } from '../alertRecord';
import { notifyPerson } from './notifyPeople';

const acknowledged = (alert: AlertRecord) => alert.status.triage.assignedAnalyst !== null || alert.state === 'closed';

export async function escalateUntilAcknowledged(alert: AlertRecord): Promise<void> {
  const chain = alert.input.tenant.escalation;
  if (!chain) return;
  const subject = `CRITICAL ${alert.status.tenantId}: ${alert.status.title}`;
  const body = `Critical incident ${alert.status.alertId} for ${alert.status.tenantId} is not acknowledged yet: ${alert.status.title}`;
  for (const [index, step] of chain.steps.entries()) {
    if (acknowledged(alert)) return;
    alert.record('escalated', 'system', `Escalation step ${index + 1} (${step.name}): paging by ${step.channel}`);
    await notifyPerson(alert, { purpose: 'escalation', channel: step.channel, to: step.to, subject, body });
    // A failed page does not wait out its timeout: the next step is paged at once.
    const last = alert.status.notifications.at(-1);
    if (last?.delivered && (await condition(() => acknowledged(alert), step.timeoutMs))) return;
  }
  if (acknowledged(alert)) return;
  alert.record('escalated', 'system', `No acknowledgement along the chain: calling the management contact ${chain.management.name}`);
  await notifyPerson(alert, {
    purpose: 'management_escalation',
    channel: 'sms',
    to: chain.management.phone,
    subject,
    body: `${body}. The SOC's on-call chain did not acknowledge it; please call the SOC.`,
  });
}
