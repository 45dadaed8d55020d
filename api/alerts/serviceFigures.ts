/**
 * Internal service figures (R5 calendar, nothing promised to customers: the contract has no SLA): for the alerts closed
 * in the last days, the median time in service hours from receipt to claim, to recommendation and to close, per tenant
 * and analyst. The analysts' page (/dashboard/service-figures) and the API's /metrics read the same rows.
 */
import type { Client } from '@temporalio/client';
import type { AlertStatus, ServiceFigures } from '../../domain/alertLifecycle';
import { listPage } from './visibility';

export interface ServiceFigureRow {
  tenantId: string;
  analyst: string;
  alerts: number;
  /** Median seconds in service hours; null when no alert of the row reached the step. */
  toClaim: number | null;
  toRecommendation: number | null;
  toClose: number | null;
}

/** The window both the page (by default) and /metrics look back over. */
export const SERVICE_FIGURE_DAYS = 30;
/** At most this many closed alerts are read for one page or one scrape. */
export const MAX_CLOSED_ALERTS = 500;

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : Math.round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
};

/** One row per tenant and analyst (the analyst who held the alert at its close), sorted by tenant, then analyst. */
export function serviceFigureRows(statuses: readonly AlertStatus[]): ServiceFigureRow[] {
  const groups = new Map<string, AlertStatus[]>();
  for (const status of statuses) {
    if (!status.serviceFigures) continue;
    const key = `${status.tenantId}\u0000${status.triage.assignedAnalyst ?? 'none'}`;
    groups.set(key, [...(groups.get(key) ?? []), status]);
  }
  const step = (group: AlertStatus[], name: keyof ServiceFigures) => median(group.flatMap((s) => (s.serviceFigures?.[name] ?? null) ?? []));
  return [...groups.entries()]
    .map(([key, group]) => {
      const [tenantId = '', analyst = ''] = key.split('\u0000');
      return { tenantId, analyst, alerts: group.length, toClaim: step(group, 'toClaimSeconds'), toRecommendation: step(group, 'toRecommendationSeconds'), toClose: step(group, 'toCloseSeconds') };
    })
    .sort((a, b) => a.tenantId.localeCompare(b.tenantId) || a.analyst.localeCompare(b.analyst));
}

/** The final records of the alerts closed since `since` (visibility, then each one's result), newest first. */
export async function closedAlertsSince(client: Client, namespace: string, since: Date, max: number): Promise<AlertStatus[]> {
  const query = `WorkflowType = 'alertWorkflow' AND ExecutionStatus = 'Completed' AND CloseTime >= '${since.toISOString()}'`;
  const page = await listPage(client, namespace, query, max);
  return Promise.all(page.executions.map((e) => client.workflow.getHandle(e.workflowId, e.runId).result() as Promise<AlertStatus>));
}

/** The rows of the last SERVICE_FIGURE_DAYS, for /metrics (read on scrape, cached there). */
export function readServiceFigureRows(client: Client, namespace: string, now: () => Date = () => new Date()): () => Promise<ServiceFigureRow[]> {
  return async () => serviceFigureRows(await closedAlertsSince(client, namespace, new Date(now().getTime() - SERVICE_FIGURE_DAYS * 86_400_000), MAX_CLOSED_ALERTS));
}
