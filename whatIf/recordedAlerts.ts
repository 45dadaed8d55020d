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
import { decode, field, text } from '../infra/audit/trailSummaries';
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

/** Where an activity's result holds the analysis: `analyseAlert`'s is the analysis, package 1's one step returns it with the rest. */
const ANALYSIS_IN: Readonly<Record<string, (result: unknown) => unknown>> = {
  analyseAlert: (result) => result,
  analyseClassifyPublish: (result) => field(result, 'analysis'),
};

/** The analysis of the alert's `analyseAlert` (or `analyseClassifyPublish`) activity, scheduled or local (package 1 records it in a marker). */
function analysisOf(history: History): RecordedAlert['analysis'] {
  const scheduled = new Map<string, (result: unknown) => unknown>();
  for (const event of history.events ?? []) {
    const type = event.activityTaskScheduledEventAttributes?.activityType?.name ?? '';
    const analysisIn = ANALYSIS_IN[type];
    if (analysisIn) scheduled.set(String(event.eventId), analysisIn);
    const done = event.activityTaskCompletedEventAttributes;
    const ofDone = done ? scheduled.get(String(done.scheduledEventId)) : undefined;
    if (done && ofDone) return analysisFrom(ofDone(decode(done.result)[0]));
    const marker = event.markerRecordedEventAttributes;
    const ofMarker = marker?.markerName === LOCAL_ACTIVITY_MARKER && !marker.failure ? ANALYSIS_IN[text(decode(marker.details?.['data'])[0], 'activity_type')] : undefined;
    if (marker && ofMarker) return analysisFrom(ofMarker(decode(marker.details?.['result'])[0]));
  }
  return null;
}

function analysisFrom(value: unknown): RecordedAlert['analysis'] {
  const rules = field(value, 'matchedRules');
  const version = field(value, 'ruleSetVersion');
  return Array.isArray(rules) && typeof version === 'string' ? { matchedRules: rules as MatchedRule[], ruleSetVersion: version } : null;
}
