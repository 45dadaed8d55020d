/**
 * How a shadow playbook revision decided beside the active one on the same live alerts: per alert, the measures
 * either run would take, with the live run's decision (matrix, approval, outcome) beside the shadow's. Pure.
 */
import type { ActionRecord, PlaybookRunStatus } from '../domain/response/playbookRun';
import { describeTarget } from '../domain/response/targets';
import type { RecordedAlert } from './redecide';

export interface ShadowComparison {
  alertId: string;
  live: { runId: string; version: number; revision: number | null; digest: string };
  shadow: { runId: string; version: number; revision: number | null; digest: string };
  /** Measures both decided alike. */
  agreed: number;
  /** Measures decided differently, or taken by one of them only. */
  differences: { measure: string; live: string; shadow: string }[];
}

export interface ShadowReport {
  playbookId: string;
  tenantId: string;
  since: string;
  pairs: number;
  differing: number;
  comparisons: ShadowComparison[];
}

export function shadowReport(playbookId: string, tenantId: string, since: string, alerts: RecordedAlert[]): ShadowReport {
  const comparisons = alerts.flatMap((alert) =>
    alert.runs.flatMap((shadow) => {
      const live = shadow.shadowOf ? alert.runs.find((r) => r.runId === shadow.shadowOf) : undefined;
      return live && shadow.playbook.id === playbookId ? [compare(alert.alertId, live, shadow)] : [];
    }),
  );
  return { playbookId, tenantId, since, pairs: comparisons.length, differing: comparisons.filter((c) => c.differences.length > 0).length, comparisons };
}

function compare(alertId: string, live: PlaybookRunStatus, shadow: PlaybookRunStatus): ShadowComparison {
  const liveDecisions = decisions(live);
  const shadowDecisions = decisions(shadow);
  const measures = [...new Set([...liveDecisions.keys(), ...shadowDecisions.keys()])].sort();
  const differences = measures.flatMap((measure) => {
    const l = liveDecisions.get(measure) ?? 'not taken';
    const s = shadowDecisions.get(measure) ?? 'not taken';
    return l === s ? [] : [{ measure, live: l, shadow: s }];
  });
  return { alertId, live: runOf(live), shadow: runOf(shadow), agreed: measures.length - differences.length, differences };
}

function runOf(run: PlaybookRunStatus): ShadowComparison['live'] {
  return { runId: run.runId, version: run.playbook.version, revision: run.playbook.revision ?? null, digest: run.playbook.digest };
}

/** What the engine decided for each measure: the matrix's answer and whether the measure would go ahead. */
function decisions(run: PlaybookRunStatus): Map<string, string> {
  return new Map(run.actions.map((a) => [`${a.action} on ${describeTarget(a.target)}${a.subject ? ` / ${describeTarget(a.subject)}` : ''}`, decisionOf(a)]));
}

function decisionOf(action: ActionRecord): string {
  const matrix = action.matrix ? (action.matrix.allowed ? `allowed${action.matrix.requiresApproval ? ' with approval' : ''}` : 'refused by the matrix') : 'no matrix check';
  const ahead = ['done', 'already_done', 'would_run', 'undone', 'running', 'pending', 'awaiting_approval', 'waiting_for_service'].includes(action.state);
  return `${matrix}; ${ahead ? 'goes ahead' : `stopped (${action.state.replace(/_/g, ' ')})`}`;
}
