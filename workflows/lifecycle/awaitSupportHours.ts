/** R5, R9, R10, R11: an alert that needs an analyst waits, durably and visibly, until the SOC's service window opens. */
import { timelineText } from '../../domain/i18n/timelineText';
import { condition } from '@temporalio/workflow';
import { nextServiceOpening, serviceWindowAt, type ServiceWindow } from '../../domain/calendar/serviceCalendar';
import type { AlertRecord } from '../alertRecord';

const DAY_MS = 86_400_000;

/** The window service opened in, or null when the alert was closed while it waited (R14 expiry). */
export async function awaitSupportHours(alert: AlertRecord): Promise<ServiceWindow | null> {
  const terms = alert.input.tenant.terms;
  for (;;) {
    const now = new Date();
    const window = serviceWindowAt(terms, now, alert.severity);
    if (window) {
      alert.wakeAt(null);
      return window;
    }
    // No window ahead (agreed windows all past): look again daily rather than drop the alert.
    const opens = nextServiceOpening(terms, now, alert.severity) ?? new Date(now.getTime() + DAY_MS);
    alert.wakeAt(opens);
    if (alert.state !== 'awaiting_support_hours') {
      alert.enter('awaiting_support_hours');
      alert.record('awaiting_support_hours', 'system', timelineText('awaitingService', { opensAt: opens.toISOString() }));
    }
    // Workflow time: the timer is durable, so a restart of every process changes nothing. The same timer as a plain
    // sleep, so older histories replay; only closing the alert (R14 expiry) ends it early.
    if (await condition(() => alert.state === 'closed', opens.getTime() - now.getTime())) return null;
  }
}
