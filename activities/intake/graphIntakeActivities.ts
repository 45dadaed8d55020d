/**
 * The scheduled Microsoft 365 intake (R3): pull a tenant's new and updated Graph security alerts since its watermark,
 * map each onto the normalised alert, start its alert workflow by business key, then move the watermark. Alerts that
 * cannot be mapped are reported by id and reason (in the workflow's result and the log), never dropped silently.
 */
import { Context } from '@temporalio/activity';
import { normalisedAlertSchema } from '../../domain/alert';
import { formatPath } from '../../domain/fieldPath';
import { graphAlertSourceOf, notConnectedMessage } from '../../ingest/defender/graphAlertSource';
import { mapDefenderAlert } from '../../ingest/defender/mapDefenderAlert';
import { parseDefenderPayload } from '../../ingest/defender/parseDefenderPayload';
import type { AlertStarter } from '../../ingest/alertStarter';
import type { Tenant } from '../../domain/tenant/tenantSchema';
import { logLine } from '../../infra/logger';
import { redact, refused } from '../response/failures';
import { createGraphSession, GRAPH_SCOPE } from '../response/graph/graphSession';
import { entraCredential, isEntraRefusal, tenantOf, tokenFailure, type ResponseDeps } from '../response/tenantAccess';
import { pullAlertsSince, type GraphAlert, type GraphAlertWatermark } from './graphAlertPull';
import type { GraphWatermarks } from '../../stores/graphWatermarks';

export interface GraphIntakeDeps {
  /** The tenants, secrets and Graph endpoint, shared with the response adapters. */
  response: ResponseDeps;
  watermarks: GraphWatermarks;
  starter: AlertStarter;
  now: () => Date;
  /** How far back a tenant's first pull reaches (no watermark yet). */
  firstPullLookbackMs: number;
}

export interface GraphAlertPullInput {
  tenantId: string;
}

export interface RefusedGraphAlert {
  graphAlertId: string;
  reason: string;
}

export interface GraphAlertPullReport {
  tenantId: string;
  /** Where this pull started: the stored watermark's instant, or the look-back start of a first pull. */
  from: string;
  pages: number;
  /** Alerts new or updated since the watermark. */
  received: number;
  /** Alert workflows started. */
  started: number;
  /** Alerts whose business key already has a workflow (an update of an alert the engine has). */
  duplicates: number;
  /** Alerts that could not be taken, each with the reason (at most MAX_LISTED listed; refusedCount counts all). */
  refused: RefusedGraphAlert[];
  refusedCount: number;
  watermark: GraphAlertWatermark | null;
}

const MAX_LISTED = 50;

export function createGraphIntakeActivities(deps: GraphIntakeDeps | undefined) {
  return {
    async pullGraphAlerts(input: GraphAlertPullInput): Promise<GraphAlertPullReport> {
      if (!deps) throw refused('IntegrationNotConfigured', 'The Microsoft 365 alert pull is not configured in this worker');
      const tenant = tenantOf(deps.response, input.tenantId);
      const stored = await deps.watermarks.get(tenant.id);
      const since = new Date(deps.now().getTime() - deps.firstPullLookbackMs).toISOString();
      const pull = await pullAlertsSince(createGraphSession(deps.response, tenant.id), stored, since);
      const report: GraphAlertPullReport = {
        tenantId: tenant.id,
        from: stored?.lastUpdateDateTime ?? since,
        pages: pull.pages,
        received: pull.alerts.length,
        started: 0,
        duplicates: 0,
        refused: [],
        refusedCount: 0,
        watermark: pull.watermark,
      };
      const context = Context.current();
      for (const [index, alert] of pull.alerts.entries()) {
        const taken = takeAlert(tenant, alert);
        if (typeof taken === 'string') {
          report.refusedCount++;
          if (report.refused.length < MAX_LISTED) report.refused.push({ graphAlertId: alert.id, reason: taken });
          context.log.warn('Graph alert refused at intake', { tenantId: tenant.id, graphAlertId: alert.id, reason: taken });
          continue;
        }
        const { duplicate } = await deps.starter.start(taken.alert, tenant, taken.source);
        if (duplicate) report.duplicates++;
        else report.started++;
        context.heartbeat({ handedOver: index + 1 });
      }
      // Only now: every alert of this pull is with Temporal (or reported), so the next pull may start after it.
      if (pull.watermark) await deps.watermarks.set(tenant.id, pull.watermark, deps.now());
      return report;
    },
  };
}

/** The normalised alert and its source, or why the alert cannot be taken. */
function takeAlert(tenant: Tenant, pulled: GraphAlert) {
  const parsed = parseDefenderPayload(pulled);
  if (!parsed.ok) return parsed.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  const [alert] = parsed.alerts;
  if (!alert) return 'the listing returned an empty alert';
  const source = graphAlertSourceOf(tenant, alert);
  if (!source) return notConnectedMessage(tenant, alert);
  let mapped;
  try {
    mapped = normalisedAlertSchema.safeParse(mapDefenderAlert(alert, { tenantId: tenant.id, source: source.id }));
  } catch (error) {
    return error instanceof Error ? error.message : 'the alert could not be mapped';
  }
  if (!mapped.success) return mapped.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
  return { alert: mapped.data, source };
}

/**
 * Why a tenant's pull cannot run in this worker (no Azure tenant, no client id, its secret not available, or Entra ID
 * refuses a token for it: wrong secret, unknown app or tenant; R13), or null. A token request that fails for another
 * reason (network, outage, timeout) blocks nothing: it is logged and the pull keeps its schedule.
 */
export function graphPullBlockedReason(response: ResponseDeps): (tenant: Tenant) => Promise<string | null> {
  return async (tenant) => {
    let access;
    try {
      access = entraCredential(response, tenant.id, 'graph');
    } catch (error) {
      return error instanceof Error ? error.message : 'the Graph credentials are not usable';
    }
    try {
      await access.credential.getToken(GRAPH_SCOPE, { abortSignal: AbortSignal.timeout(response.requestTimeoutMs ?? 30_000) });
      return null;
    } catch (error) {
      const failure = tokenFailure(error, `Tenant '${tenant.id}' graph credentials`, access.secret);
      const why = failure instanceof Error ? failure.message : 'the token request failed';
      if (isEntraRefusal(error)) return why;
      logLine('warn', 'Graph credentials could not be checked at start; the pull keeps its schedule', { tenantId: tenant.id, reason: redact(why, [access.secret]) });
      return null;
    }
  };
}
