/**
 * What a phone provider reports back about an alert's notifications: delivery reports, recorded on the notification
 * as proof that the person was reached (R8), and the key press on an escalation call that takes the incident like a
 * claim in the dashboard (R19). The API checked the provider's signature before either reaches the workflow.
 */
import { setHandler } from '@temporalio/workflow';
import { TAKE_INCIDENT_DIGIT } from '../../domain/soc/phoneAcknowledgement';
import type { NotificationRecord } from '../../domain/alertLifecycle';
import type { AlertRecord } from '../alertRecord';
import { acknowledgeByPhoneUpdate, phoneDeliveryReportSignal } from '../messages';
import { countServiceTime } from './triageHandlers';

/** Bounds the reports kept per notification (a provider may report every state change). */
const MAX_REPORTS = 10;

class RefusedError extends Error {
  override name = 'RefusedError';
}

function escalationCall(alert: AlertRecord, callId: string): NotificationRecord | undefined {
  return alert.status.notifications.find((n) => n.messageId === callId && n.purpose === 'escalation' && n.channel === 'voice' && n.delivered);
}

export function registerPhoneCallbacks(alert: AlertRecord): void {
  setHandler(phoneDeliveryReportSignal, ({ messageId, report }) => {
    const notification = alert.status.notifications.find((n) => n.messageId === messageId);
    if (!notification) return; // not this alert's: the provider's id is unknown here
    const reports = (notification.reports ??= []);
    if (reports.length >= MAX_REPORTS) return;
    reports.push(report);
    const failed = report.errorCode === null ? '' : ` (provider error ${report.errorCode})`;
    alert.record(
      report.reached ? 'notified' : 'notification_failed',
      'system',
      `${notification.purpose} by ${notification.channel} to ${notification.recipient}: the provider reports '${report.status}'${failed} for ${messageId}`,
    );
  });

  setHandler(
    acknowledgeByPhoneUpdate,
    ({ callId, number }) => {
      const call = escalationCall(alert, callId) as NotificationRecord;
      const who = call.onCall ?? 'on-call';
      call.acknowledgement = { number, at: new Date().toISOString() };
      alert.assign(who);
      alert.enter('in_triage');
      countServiceTime(alert, 'toClaimSeconds');
      // The number stays on the (SOC-internal) notification record, not in the timeline a customer reads (R17).
      alert.record('claimed', `phone:${who}`, `Taken by phone: key ${TAKE_INCIDENT_DIGIT} pressed on the escalation call ${callId}`);
      return alert.status;
    },
    {
      validator: ({ callId, digits }) => {
        if (digits !== TAKE_INCIDENT_DIGIT) throw new RefusedError(`Key '${digits}' does not take the incident (press ${TAKE_INCIDENT_DIGIT})`);
        if (!escalationCall(alert, callId)) throw new RefusedError(`Call ${callId} is not an escalation call of this alert`);
        if (alert.state !== 'awaiting_triage') throw new RefusedError(`Cannot take the incident by phone: the alert is '${alert.state}'`);
      },
    },
  );
}
