/** Reads alerts: lists through Temporal visibility (newest first, paged) and details through the workflow's Query. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ALERT_ID_PATTERN } from '../../domain/alertIdentity';
import type { AlertState, AlertStatus } from '../../domain/alertLifecycle';
import { ALERT_STATE, SEVERITY, TENANT_ID } from '../../domain/searchAttributes';
import type { Severity } from '../../domain/severity';
import { alertEvidenceQuery, alertStatusQuery } from '../../workflows/messages';
import { customerProjection, evidenceOf, type AlertDetail } from './alertEvidence';
import type { RuleDetailsLookup } from './ruleDetails';
import { may, type Principal } from '../../domain/access/roles';
import { summarise, type AlertSummary } from './alertSummary';
import { listPage } from './visibility';
import type { CursorSeal } from './cursorSeal';
import { ForbiddenError } from '../../domain/refusals';
import { noAlert, requireAlertInScope, tenantInScope } from '../../domain/access/tenantScope';
import { queryWorkflow } from './workflowQuery';
import { closedAlertsSince } from './serviceFigures';

export interface AlertListFilter {
  tenantId?: string | undefined;
  severity?: Severity | undefined;
  state?: AlertState | undefined;
  limit: number;
  cursor?: string | undefined;
}

export class AlertQueries {
  /** `ruleDetails`: the matched rules' descriptions and references (api/alerts/ruleDetails.ts); absent: titles only. */
  constructor(private readonly deps: { client: Client; namespace: string; cursors: CursorSeal; ruleDetails?: RuleDetailsLookup }) {}

  async list(principal: Principal, filter: AlertListFilter): Promise<{ items: AlertSummary[]; nextCursor: string | null }> {
    if (!may(principal, 'readAlerts')) throw new ForbiddenError(`Role '${principal.role}' may not read alerts`);
    // R17: another tenant in the filter is absent (404), a bound key lists its own tenant only.
    const tenantId = tenantInScope(principal, filter.tenantId);
    // Values are validated slugs and enum members, so they are safe inside the visibility query.
    const clauses = [`WorkflowType = 'alertWorkflow'`];
    if (tenantId) clauses.push(`${TENANT_ID.name} = '${tenantId}'`);
    if (filter.severity) clauses.push(`${SEVERITY.name} = '${filter.severity}'`);
    if (filter.state) clauses.push(`${ALERT_STATE.name} = '${filter.state}'`);
    const { client, namespace, cursors } = this.deps;
    const query = clauses.join(' AND ');
    // A cursor is sealed for its list: its query, and so its tenant and filters.
    const list = `alerts|${query}`;
    const page = await listPage(client, namespace, query, filter.limit, filter.cursor ? cursors.open(list, filter.cursor) : undefined);
    // SQL visibility has no ORDER BY (running first, then most recently closed): each page is sorted newest first.
    const items = page.executions.map(summarise).sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
    const token = page.nextPageToken;
    return { items, nextCursor: token ? cursors.seal(list, token) : null };
  }

  /** A running alert answers its Query; a closed one returns its final status as the workflow result. */
  async get(principal: Principal, alertId: string): Promise<AlertStatus> {
    if (!may(principal, 'readAlerts')) throw new ForbiddenError(`Role '${principal.role}' may not read alerts`);
    if (!ALERT_ID_PATTERN.test(alertId)) throw noAlert(alertId);
    requireAlertInScope(principal, alertId);
    const handle = this.deps.client.workflow.getHandle(alertId);
    let description;
    try {
      description = await handle.describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw noAlert(alertId);
      throw error;
    }
    const tenantId = description.typedSearchAttributes.get(TENANT_ID);
    // Another tenant's alert is reported as absent, not forbidden: its existence is not the caller's business (R17).
    if (principal.tenantId !== null && tenantId !== principal.tenantId) throw noAlert(alertId);
    const status: AlertStatus = description.status.name === 'COMPLETED' ? await handle.result() : await queryWorkflow(handle, alertStatusQuery);
    return may(principal, 'readSocInternals') ? status : customerProjection(status);
  }

  /** Closed alerts (their final records) that closed at or after `since`, newest first, at most `max`: the service figures' input. */
  async closedSince(principal: Principal, since: Date, max: number): Promise<AlertStatus[]> {
    if (!may(principal, 'readServiceFigures')) throw new ForbiddenError(`Role '${principal.role}' may not read the service figures`);
    return closedAlertsSince(this.deps.client, this.deps.namespace, since, max);
  }

  /** The record with its evidence (what the alert is about); a closed alert's worker answers the evidence Query too. */
  async detail(principal: Principal, alertId: string): Promise<AlertDetail> {
    const status = await this.get(principal, alertId);
    const alert = await queryWorkflow(this.deps.client.workflow.getHandle(alertId), alertEvidenceQuery);
    return { ...status, evidence: evidenceOf(alert, status, this.deps.ruleDetails) };
  }
}
