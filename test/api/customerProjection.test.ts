/**
 * R17: what the customer's view of an alert leaves out, record by record: the SOC's pages (escalation steps and the
 * page about an alert that expired unworked, with the SOC's on-call numbers), its case notes, its IoC enrichment
 * answers and its webhook deliveries; the customer's own notifications stay.
 */
import { customerProjection } from '../../api/alerts/alertEvidence';
import type { AlertStatus, NotificationRecord, TimelineEntry } from '../../domain/alertLifecycle';

const ON_CALL = '+4928219990101';
const at = '2026-12-04T10:00:00.000Z';
const sent = (purpose: NotificationRecord['purpose'], recipient: string): NotificationRecord => ({
  purpose,
  channel: 'sms',
  recipient,
  messageId: `m-${purpose}`,
  provider: 'twilio:api.twilio.com',
  at,
  delivered: true,
  failure: null,
});
const entry = (kind: TimelineEntry['kind'], actor: string, detail: string): TimelineEntry => ({ at, kind, actor, detail });

const status = {
  alertId: 'alert.mueller-logistik.edr.abc',
  tenantId: 'mueller-logistik',
  triage: { notes: [{ at, author: 'analyst:a.schmidt', text: 'internal' }], iocs: [] },
  response: { runs: [] },
  notifications: [sent('management_escalation', '+491715550123'), sent('escalation', ON_CALL), sent('retention_expiry', ON_CALL)],
  enrichment: [{ provider: 'virustotal', indicator: { kind: 'ip', value: '185.220.101.4' }, finding: 'malicious', summary: '14 of 94 engines malicious', checkedAt: at, fromCache: false }],
  webhookDeliveries: [{ target: 'soc', eventId: 'e/1', type: 'alert.received', delivered: true, status: 200, at, failure: null }],
  timeline: [
    entry('received', 'system', 'Received'),
    entry('analysed', 'enrichment:virustotal', 'VirusTotal: ip 185.220.101.4 malicious: 14 of 94 engines malicious'),
    entry('notification_failed', 'system', 'Webhook tenant:ticketing: alert.received (e/1) failed for good: WebhookRejected: HTTP 410'),
    entry('notification_failed', 'system', "SOC channel card 'escalation' failed for good: TeamsRejected"),
    entry('notified', 'system', `retention_expiry by sms to ${ON_CALL}: accepted by twilio as m-retention_expiry`),
    entry('notified', 'system', 'management_escalation by sms to +491715550123: accepted by twilio as m-management_escalation'),
  ],
} as unknown as AlertStatus;

test('R17 the customer’s view leaves out the SOC’s enrichment answers, webhook deliveries and pages, and keeps the customer’s own', () => {
  const seen = customerProjection(status);
  expect(seen).not.toHaveProperty('enrichment');
  expect(seen).not.toHaveProperty('webhookDeliveries');
  expect(seen.triage).not.toHaveProperty('notes');
  expect(seen.notifications.map((n) => n.purpose)).toEqual(['management_escalation']);
  expect(seen.timeline.map((e) => e.kind)).toEqual(['received', 'notified']);
  expect(JSON.stringify(seen)).not.toContain(ON_CALL);
  // The record itself is not changed: the analyst reads all of it.
  expect(status.enrichment).toHaveLength(1);
  expect(status.timeline).toHaveLength(6);
});
