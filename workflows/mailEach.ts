/**
 * One e-mail to each recipient in turn, for the scheduled checks' letters (R4 leak check, R15 fair-use notice). An
 * alert's notifications go through lifecycle/notifyPeople.ts instead, which records delivery proofs on the alert.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { AlertActivities } from '../activities';
import type { Language } from '../domain/i18n/language';
import { notification } from './activityProfiles';

const { sendNotification } = proxyActivities<AlertActivities>(notification);

export interface Letter {
  subject: string;
  body: string;
  language: Language;
}

export interface LetterSending {
  tenantId: string;
  /** The key of the send to one address: a repeat is recognisable as the same letter (Message-ID). */
  idempotencyKey: (to: string) => string;
}

/** A failed send fails the workflow (after the activity's retries), so what the caller records after it stays due. */
export async function mailEach(recipients: readonly string[], { subject, body, language }: Letter, { tenantId, idempotencyKey }: LetterSending): Promise<void> {
  for (const to of recipients) {
    await sendNotification({ channel: 'email', to, subject, body, tenantId, alertId: workflowInfo().workflowId, idempotencyKey: idempotencyKey(to), language });
  }
}
