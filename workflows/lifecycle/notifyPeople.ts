/** Sends one notification through the activity and records its delivery proof, or its final failure, in the alert. */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../../activities';
import type { NotificationRecord } from '../../domain/alertLifecycle';
import { notification } from '../activityProfiles';
import type { AlertRecord } from '../alertRecord';

const { sendNotification } = proxyActivities<AlertActivities>(notification);

export interface Message {
  purpose: NotificationRecord['purpose'];
  channel: NotificationRecord['channel'];
  to: string;
  subject: string;
  body: string;
}

/** True when delivered. A final failure is recorded, never thrown: the caller escalates. */
export async function notifyPerson(alert: AlertRecord, message: Message): Promise<boolean> {
  const sequence = alert.status.notifications.length + 1;
  const at = () => new Date().toISOString();
  try {
    const receipt = await sendNotification({
      channel: message.channel,
      to: message.to,
      subject: message.subject,
      body: message.body,
      tenantId: alert.status.tenantId,
      alertId: alert.status.alertId,
      idempotencyKey: `${alert.status.alertId}/n${sequence}`,
    });
    alert.status.notifications.push({
      purpose: message.purpose,
      channel: receipt.channel,
      recipient: receipt.recipient,
      messageId: receipt.messageId,
      provider: receipt.provider,
      at: receipt.acceptedAt,
      delivered: true,
      failure: null,
    });
    alert.record('notified', 'system', `${message.purpose} by ${receipt.channel} to ${receipt.recipient}: accepted by ${receipt.provider} as ${receipt.messageId}`);
    return true;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure ? `${error.cause.type ?? 'Error'}: ${error.cause.message}` : String(error.cause?.message ?? error.message);
    alert.status.notifications.push({
      purpose: message.purpose,
      channel: message.channel,
      recipient: message.to,
      messageId: null,
      provider: null,
      at: at(),
      delivered: false,
      failure: cause,
    });
    alert.record('notification_failed', 'system', `${message.purpose} by ${message.channel} to ${message.to} failed for good: ${cause}`);
    return false;
  }
}
