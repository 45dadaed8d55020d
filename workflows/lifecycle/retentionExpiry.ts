/**
 * R14 "maximal 90 Tage": an alert nobody worked does not stay open for ever. The daily purge closes an open alert older
 * than its tenant's retention as expired (recorded, the SOC's first on-call step told), and purges it as usual.
 */
import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { AlertActivities } from '../../activities';
import { localWork } from '../activityProfiles';
import type { AlertRecord } from '../alertRecord';
import { expireAlertUpdate } from '../messages';
import { notifyPerson } from './notifyPeople';
import { expiredUnworkedPage, socLanguageOf } from '../../domain/i18n/socMessages';

const { refreshDashboard } = proxyActivities<AlertActivities>(localWork);

export function registerRetentionExpiry(alert: AlertRecord, response: { mayClose(): boolean }): void {
  setHandler(
    expireAlertUpdate,
    async ({ retentionDays, cutoff }) => {
      const detail = `Expired unworked: received ${alert.status.receivedAt}, before ${cutoff}, past the tenant's retention of ${retentionDays} days (R14); closed for deletion`;
      alert.wakeAt(null);
      alert.status.triage.summary = detail;
      alert.status.triage.closedAt = new Date().toISOString();
      alert.enter('closed');
      alert.record('closed', 'system:retention', detail);
      const first = alert.input.tenant.escalation?.steps[0];
      if (first) {
        const language = socLanguageOf(alert.input.tenant);
        const { subject, body } = expiredUnworkedPage(language, { ...alert.status, retentionDays });
        await notifyPerson(alert, { purpose: 'retention_expiry', channel: first.channel, to: first.to, subject, body, language });
      }
      await refreshDashboard({ status: { ...alert.status } });
      return alert.status;
    },
    {
      validator: ({ cutoff }) => {
        if (!(Date.parse(alert.status.receivedAt) < Date.parse(cutoff))) throw new Error(`The alert was received ${alert.status.receivedAt}, not before ${cutoff}`);
        if (alert.state === 'closed') throw new Error('The alert is closed already');
        if (!response.mayClose()) throw new Error('A playbook run is still carrying out or undoing measures: the alert expires on a later day');
      },
    },
  );
}
