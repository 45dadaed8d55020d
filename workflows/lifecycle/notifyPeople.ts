/** Sends one notification through the activity and records its delivery proof, or its final failure, where it belongs. */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../../activities';
import type { NotificationRecord, TimelineDetail, TimelineKind } from '../../domain/alertLifecycle';
import { timelineText } from '../../domain/i18n/timelineText';
import { notification } from '../activityProfiles';
import type { Language } from '../../domain/i18n/language';

const { sendNotification } = proxyActivities<AlertActivities>(notification);

export interface Message {
  purpose: NotificationRecord['purpose'];
  channel: NotificationRecord['channel'];
  to: string;
  subject: string;
  body: string;
  /** Set for texts written in the tenant's language. */
  language?: Language;
}

/** A record that keeps delivery proofs and a timeline: an alert, or a playbook run. */
export interface NotificationLog {
  readonly status: { alertId: string; tenantId: string; receivedAt?: string; notifications: NotificationRecord[] };
  /** A key unique across every notification of the alert, so a provider can drop a repeated send. */
  notificationKey(sequence: number): string;
  record(kind: TimelineKind, actor: string, detail: TimelineDetail): void;
}

/** True when delivered. A final failure is recorded, never thrown: the caller escalates. */
export async function notifyPerson(log: NotificationLog, message: Message): Promise<boolean> {
  const sequence = log.status.notifications.length + 1;
  try {
    const receipt = await sendNotification({
      channel: message.channel,
      to: message.to,
      subject: message.subject,
      body: message.body,
      tenantId: log.status.tenantId,
      alertId: log.status.alertId,
      idempotencyKey: log.notificationKey(sequence),
      purpose: message.purpose,
      receivedAt: log.status.receivedAt,
      ...(message.language ? { language: message.language } : {}),
    });
    log.status.notifications.push({
      purpose: message.purpose,
      channel: receipt.channel,
      recipient: receipt.recipient,
      messageId: receipt.messageId,
      provider: receipt.provider,
      at: receipt.acceptedAt,
      delivered: true,
      failure: null,
      ...(receipt.retryCheck ? { retryCheck: receipt.retryCheck } : {}),
      ...(receipt.deliveryReport ? { deliveryReport: receipt.deliveryReport } : {}),
    });
    const sent = { purpose: message.purpose, channel: receipt.channel, recipient: receipt.recipient, provider: receipt.provider, messageId: receipt.messageId };
    // R8: a provider that reports no delivery proves the sending only; the record says so.
    log.record('notified', 'system', timelineText(receipt.deliveryReport === 'none' ? 'notifiedWithoutReport' : 'notified', sent));
    // Twilio has no idempotency key: a call sent again may ring twice, and the record says so (docs/integrations.md).
    if (receipt.retryCheck?.outcome === 'possible_duplicate') log.record('notified', 'system', timelineText('possibleDuplicate', { ...sent, found: receipt.retryCheck.found.join(', ') }));
    return true;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure ? `${error.cause.type ?? 'Error'}: ${error.cause.message}` : String(error.cause?.message ?? error.message);
    log.status.notifications.push({
      purpose: message.purpose,
      channel: message.channel,
      recipient: message.to,
      messageId: null,
      provider: null,
      at: new Date().toISOString(),
      delivered: false,
      failure: cause,
    });
    log.record('notification_failed', 'system', timelineText('notificationFailed', { purpose: message.purpose, channel: message.channel, recipient: message.to, cause }));
    return false;
  }
}
