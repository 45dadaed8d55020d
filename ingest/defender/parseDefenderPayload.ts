/** Reads the body of `POST /v1/alerts/defender`: one Graph alert, or a page `{ "value": [ ... ] }` of 1 to 500 alerts. */
import { formatPath } from '../../domain/fieldPath';
import { graphAlertPageSchema, graphAlertSchema, type GraphAlert } from './graphAlertSchema';

export type { GraphAlert } from './graphAlertSchema';

export interface PayloadIssue {
  /** Where in the body, like `value[2].evidence[0].processId`; `(body)` for the whole body. */
  path: string;
  message: string;
}

export type DefenderPayload = { ok: true; alerts: GraphAlert[] } | { ok: false; issues: PayloadIssue[] };

const issuesOf = (issues: readonly { path: readonly PropertyKey[]; message: string }[]): PayloadIssue[] =>
  issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));

/** A body with a `value` key is a page; any other object is one alert. */
export function parseDefenderPayload(body: unknown): DefenderPayload {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ path: '(body)', message: 'expected one Graph security alert, or a page { "value": [ alerts ] }' }] };
  }
  if ('value' in body) {
    const page = graphAlertPageSchema.safeParse(body);
    return page.success ? { ok: true, alerts: page.data.value } : { ok: false, issues: issuesOf(page.error.issues) };
  }
  const alert = graphAlertSchema.safeParse(body);
  return alert.success ? { ok: true, alerts: [alert.data] } : { ok: false, issues: issuesOf(alert.error.issues) };
}

/** R1: the Azure (Entra ID) tenant the alert comes from, lower-cased, to compare with the tenant's connected Microsoft 365 tenant. */
export function azureTenantIdOf(alert: Pick<GraphAlert, 'tenantId'>): string {
  return alert.tenantId.toLowerCase();
}
