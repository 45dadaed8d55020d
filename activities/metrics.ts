/**
 * The engine's business figures on the worker's Temporal metric meter, served with the SDK's own at
 * SOAR_WORKER_METRICS_PORT: intake to classification, intake to customer notification, escalations. Labels stay
 * few (tenant, purpose, level), never alert ids.
 */
import { Context } from '@temporalio/activity';
import type { MetricMeter } from '@temporalio/common';
import type { AlertStatus } from '../domain/alertLifecycle';
import { INTAKE_HISTOGRAMS, SERVICE_FIGURES_HISTOGRAM } from '../infra/telemetry/histogramBuckets';

/** The running activity's meter; outside an activity (unit tests of adapters) there is none and nothing is counted. */
export function activityMeter(): MetricMeter | undefined {
  try {
    return Context.current().metricMeter;
  } catch {
    return undefined;
  }
}

function secondsSince(receivedAt: string, now: Date): number | undefined {
  const received = Date.parse(receivedAt);
  return Number.isNaN(received) ? undefined : Math.max(0, (now.getTime() - received) / 1000);
}

/** Once per alert, when its classification is first recorded (published). */
export function observeIntakeToClassification(tenantId: string, receivedAt: string, now: Date): void {
  const seconds = secondsSince(receivedAt, now);
  if (seconds === undefined) return;
  activityMeter()
    ?.createHistogram(INTAKE_HISTOGRAMS.classification, 'float', 's', 'Time from intake to the recorded classification, by tenant')
    .record(seconds, { tenant: tenantId });
}

/** Per notice delivered to the customer, by purpose (findings, containment advice, measure notice, response failure). */
export function observeIntakeToNotification(tenantId: string, purpose: string, receivedAt: string, now: Date): void {
  const seconds = secondsSince(receivedAt, now);
  if (seconds === undefined) return;
  activityMeter()
    ?.createHistogram(INTAKE_HISTOGRAMS.notification, 'float', 's', 'Time from intake to a delivered customer notice, by tenant and purpose')
    .record(seconds, { tenant: tenantId, purpose });
}

/** One page along the on-call chain (`escalation`) or to the customer's management (`management_escalation`). */
export function countEscalation(tenantId: string, level: string): void {
  activityMeter()?.createCounter('soar_escalations_total', 'pages', 'Escalation pages sent out, by tenant and level').add(1, { tenant: tenantId, level });
}

/** Once per closed alert: its service figures (service hours only, no SLA) by tenant, assigned analyst and step. */
export function observeServiceFigures(status: AlertStatus): void {
  const figures = status.serviceFigures;
  if (!figures) return;
  const histogram = activityMeter()?.createHistogram(SERVICE_FIGURES_HISTOGRAM, 'float', 's', 'Service hours from intake to claim, recommendation and close, by tenant and analyst (internal, no SLA)');
  const labels = { tenant: status.tenantId, analyst: status.triage.assignedAnalyst ?? 'none' };
  const steps = { claim: figures.toClaimSeconds, recommendation: figures.toRecommendationSeconds, close: figures.toCloseSeconds };
  for (const [step, seconds] of Object.entries(steps)) if (seconds !== null) histogram?.record(seconds, { ...labels, step });
}
