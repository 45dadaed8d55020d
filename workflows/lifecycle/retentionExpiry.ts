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
        await notifyPerson(alert, {
          purpose: 'retention_expiry',
          channel: first.channel,
          to: first.to,
          subject: `Alert expired unworked for ${alert.status.tenantId}: ${alert.status.title}`,
          body: `Alert ${alert.status.alertId} (${alert.status.severity}) was never closed and is past the retention of ${retentionDays} days: it was closed as expired and will be deleted (R14).`,
        });
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
