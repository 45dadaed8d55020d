/**
 * The recorded alerts of a tenant and period, read from their Temporal histories (R18): each alert's exact workflow
 * input, the analysis its activity returned, and its playbook runs as they ended (or, still open, as they stand).
 * Payloads are decoded with the engine's codec; nothing is called at any vendor.
 */
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { MatchedRule } from '../domain/alertLifecycle';
import type { PlaybookRunStatus } from '../domain/response/playbookRun';
import { decodeHistory } from '../infra/crypto/historyPayloads';
import { decode, field } from '../infra/audit/trailSummaries';
import { fetchWorkflowTree, type History } from '../infra/audit/workflowHistories';
import type { AlertWorkflowInput } from '../workflows/alertWorkflowInput';
import { playbookRunQuery } from '../workflows/messages';
import type { RecordedAlert } from './redecide';

const TENANT_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

export async function recordedAlerts(client: Client, codec: PayloadCodec, period: { tenantId: string; since: Date }): Promise<RecordedAlert[]> {
  if (!TENANT_ID.test(period.tenantId)) throw new Error(`'${period.tenantId}' is not a tenant id`);
  const query = `WorkflowType = 'alertWorkflow' AND TenantId = '${period.tenantId}' AND StartTime >= '${period.since.toISOString()}'`;
  const alerts: RecordedAlert[] = [];
  for await (const execution of client.workflow.list({ query })) {
    const tree = await fetchWorkflowTree(client, execution.workflowId);
    const [root, ...children] = await Promise.all(tree.map(async (h) => ({ ...h, history: await decodeHistory(h.history, codec) })));
    if (!root) continue;
    const input = startInput(root.history) as AlertWorkflowInput | undefined;
    if (!input) continue;
    const runs: PlaybookRunStatus[] = [];
    for (const child of children.filter((c) => c.workflowType === 'playbookRunWorkflow')) {
      runs.push((completedResult(child.history) as PlaybookRunStatus | undefined) ?? (await client.workflow.getHandle(child.workflowId).query(playbookRunQuery)));
    }
    alerts.push({
      alertId: input.alertId,
      receivedAt: input.receivedAt,
      alert: input.alert,
      tenant: input.tenant,
      sourceProduct: input.sourceProduct,
      ...(input.eventDetection ? { eventDetection: input.eventDetection } : {}),
      analysis: analysisOf(root.history),
      runs,
    });
  }
  return alerts.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.alertId.localeCompare(b.alertId));
}

function startInput(history: History): unknown {
  return decode(history.events?.[0]?.workflowExecutionStartedEventAttributes?.input)[0];
}

function completedResult(history: History): unknown {
  const completed = (history.events ?? []).find((e) => e.workflowExecutionCompletedEventAttributes)?.workflowExecutionCompletedEventAttributes;
  return completed ? decode(completed.result)[0] : undefined;
}

/** The result of the alert's `analyseAlert` activity, scheduled or local (package 1 records it in a marker). */
function analysisOf(history: History): RecordedAlert['analysis'] {
  const scheduled = new Set<string>();
  for (const event of history.events ?? []) {
    if (event.activityTaskScheduledEventAttributes?.activityType?.name === 'analyseAlert') scheduled.add(String(event.eventId));
    const done = event.activityTaskCompletedEventAttributes;
    if (done && scheduled.has(String(done.scheduledEventId))) return analysisFrom(decode(done.result)[0]);
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName === LOCAL_ACTIVITY_MARKER && !marker.failure && field(decode(marker.details?.['data'])[0], 'activity_type') === 'analyseAlert') {
      return analysisFrom(decode(marker.details?.['result'])[0]);
    }
  }
  return null;
}

function analysisFrom(value: unknown): RecordedAlert['analysis'] {
  const rules = field(value, 'matchedRules');
  const version = field(value, 'ruleSetVersion');
  return Array.isArray(rules) && typeof version === 'string' ? { matchedRules: rules as MatchedRule[], ruleSetVersion: version } : null;
}
