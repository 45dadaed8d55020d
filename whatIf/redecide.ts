/**
 * Re-decides recorded alerts with a proposed change applied, from their exact recorded inputs and without any vendor:
 * the classification (R2) from the recorded alert with the changed rules, the release matrix (R8) over the targets and
 * directory groups the vendor gave the recorded runs, a changed playbook's steps over the alert's entities, and who
 * would be told (R6, R8). Pure: the same recorded alerts and change give the same differences.
 */
import type { NormalisedAlert } from '../domain/alert';
import type { Classification, MatchedRule } from '../domain/alertLifecycle';
import { classifyAlert, incidentRules } from '../domain/classification';
import type { EventDetection } from '../domain/correlation';
import type { PlaybookDefinition } from '../domain/playbook/playbookDefinition';
import { actionSpec } from '../domain/response/actionCatalog';
import type { ActionRecord, PlaybookRunStatus } from '../domain/response/playbookRun';
import { decideRelease, fourEyesRequired } from '../domain/response/releaseMatrix';
import { responsiblePeople } from '../domain/response/responsiblePeople';
import { describeTarget, type ResolvedTarget } from '../domain/response/targets';
import { responseDecision } from '../domain/response/responsePolicy';
import type { Severity } from '../domain/severity';
import type { TenantPolicy } from '../domain/tenantPolicy';
import type { PlaybookRunInput } from '../workflows/playbook/playbookRunInput';
import { resolveTargets } from '../workflows/playbook/resolveTargets';
import type { AlertDifference, Decision } from './whatIfReport';

/** An alert as recorded in its history: its exact inputs, the analysis it got, and its playbook runs. */
export interface RecordedAlert {
  alertId: string;
  receivedAt: string;
  alert: NormalisedAlert;
  tenant: TenantPolicy;
  sourceProduct: string;
  eventDetection?: EventDetection;
  /** The recorded analysis (the activity's result); null when the history has none (it never got that far). */
  analysis: { matchedRules: MatchedRule[]; ruleSetVersion: string } | null;
  runs: PlaybookRunStatus[];
}

export type AppliedChange =
  | { kind: 'rules'; analyse(alert: NormalisedAlert, product: string): Promise<{ matchedRules: MatchedRule[]; ruleSetVersion: string }> }
  | { kind: 'playbook'; playbook: PlaybookDefinition }
  | { kind: 'tenant'; policy: TenantPolicy };

export async function redecide(recorded: RecordedAlert, change: AppliedChange): Promise<AlertDifference | null> {
  const before = classificationOf(recorded, recorded.analysis);
  if (!before) return null;
  const difference: AlertDifference = { alertId: recorded.alertId, receivedAt: recorded.receivedAt };
  if (change.kind === 'rules') {
    const after = classificationOf(recorded, await change.analyse(recorded.alert, recorded.sourceProduct));
    if (after && (after.severity !== before.severity || basisOf(after) !== basisOf(before))) {
      difference.classification = { old: { severity: before.severity, decidedBy: basisOf(before) }, new: { severity: after.severity, decidedBy: basisOf(after) } };
      difference.response = changed(responseAt(recorded.tenant, before.severity, recorded.receivedAt), responseAt(recorded.tenant, after.severity, recorded.receivedAt));
      difference.notifications = notificationChanges(recorded.tenant, before.severity, recorded.tenant, after.severity);
    }
  } else if (change.kind === 'tenant') {
    difference.response = changed(responseAt(recorded.tenant, before.severity, recorded.receivedAt), responseAt(change.policy, before.severity, recorded.receivedAt));
    difference.measures = recorded.runs.flatMap((run) => matrixChanges(run, recorded.tenant, change.policy));
    difference.notifications = notificationChanges(recorded.tenant, before.severity, change.policy, before.severity);
  } else {
    difference.measures = recorded.runs.filter((run) => run.playbook.id === change.playbook.id).flatMap((run) => playbookChanges(recorded, before.severity, run, change.playbook));
  }
  return compact(difference);
}

/** The automatic classification as the alert workflow makes it (workflows/alertWorkflow.ts), from a given analysis. */
function classificationOf(recorded: RecordedAlert, analysis: RecordedAlert['analysis']): Classification | null {
  if (!analysis) return null;
  return classifyAlert({
    matchedRules: incidentRules(recorded.eventDetection?.matchedRules ?? [], analysis.matchedRules),
    vendorSeverity: recorded.alert.vendorSeverity,
    ruleSetVersion: analysis.ruleSetVersion,
  });
}

function basisOf(classification: Classification): string {
  const basis = classification.decidedBy;
  if (basis.kind === 'rule') return `rule ${basis.ruleId} (${basis.ruleTitle})`;
  if (basis.kind === 'vendor') return `vendor severity ${basis.vendorSeverity}`;
  if (basis.kind === 'analyst') return `analyst ${basis.analyst}`;
  return 'default';
}

function responseAt(tenant: TenantPolicy, severity: Severity, receivedAt: string): string {
  const decision = responseDecision(tenant, severity, new Date(receivedAt));
  return decision.allowed ? `measures possible (${decision.reason})` : `no measures: ${decision.reason}`;
}

function changed(old: string, next: string): Decision | undefined {
  return old === next ? undefined : { old, new: next };
}

/** R6 findings go to the contacts named for the severity; R8 measure notices to the responsible people. */
function notificationChanges(oldTenant: TenantPolicy, oldSeverity: Severity, newTenant: TenantPolicy, newSeverity: Severity): (Decision & { purpose: string })[] {
  const findings = (tenant: TenantPolicy, severity: Severity) => list(tenant.contacts.filter((c) => c.notify.includes(severity)).map((c) => c.email));
  const notices = (tenant: TenantPolicy, severity: Severity) => list(responsiblePeople(tenant.contacts, severity).map((c) => c.email));
  const result: (Decision & { purpose: string })[] = [];
  const pairs = [
    ['findings', findings],
    ['measure_notice', notices],
  ] as const;
  for (const [purpose, of] of pairs) {
    const decision = changed(of(oldTenant, oldSeverity), of(newTenant, newSeverity));
    if (decision) result.push({ purpose, ...decision });
  }
  return result;
}

function list(addresses: string[]): string {
  return addresses.length === 0 ? 'nobody' : [...new Set(addresses)].sort().join(', ');
}

/** Each recorded matrix check, decided again with the changed matrix over the same target and directory groups. */
function matrixChanges(run: PlaybookRunStatus, oldTenant: TenantPolicy, newTenant: TenantPolicy): (Decision & { measure: string })[] {
  return run.actions.flatMap((action) => {
    if (!action.matrix) return [];
    const decision = changed(matrixDecision(oldTenant, action.action, action.target, action.matrix.groups), matrixDecision(newTenant, action.action, action.target, action.matrix.groups));
    return decision ? [{ measure: measureName(run, action.action, action.target, action.subject), ...decision }] : [];
  });
}

function matrixDecision(tenant: TenantPolicy, action: ActionRecord['action'], target: ResolvedTarget, groups: string[]): string {
  const spec = actionSpec(action);
  if (!spec.measure) return 'not a measure (no matrix check)';
  const decision = decideRelease(tenant.response.releaseMatrix, spec.permission ?? action, target, { groups });
  if (!decision.allowed) return `refused: ${decision.reason}`;
  const rule = tenant.response.releaseMatrix.rules[decision.rule];
  const approval = decision.requiresApproval ? (rule && fourEyesRequired(rule) ? 'approval by a second analyst (four eyes)' : 'approval required') : 'no approval';
  return `allowed by rule ${decision.rule + 1}, ${approval}`;
}

/**
 * The changed playbook's steps over the alert's entities and the tenant's firewalls; targets from an earlier step's
 * outputs are the outputs the recorded run got. Users and hosts are judged with the vendor's ids and groups the
 * recorded run looked up; a target the recorded run never looked up is judged on the alert's names without groups.
 */
function playbookChanges(recorded: RecordedAlert, severity: Severity, run: PlaybookRunStatus, playbook: PlaybookDefinition): (Decision & { measure: string })[] {
  const input: PlaybookRunInput = {
    runId: run.runId,
    alertId: recorded.alertId,
    parentWorkflowId: recorded.alertId,
    tenant: recorded.tenant,
    alert: { source: recorded.alert.source, externalId: recorded.alert.externalId, title: recorded.alert.title, entities: recorded.alert.entities },
    severity,
    playbook,
    trigger: run.trigger,
    startedBy: run.startedBy,
    isolation: run.isolation,
  };
  const old = new Map<string, string>();
  for (const action of run.actions) old.set(measureKey(action.action, action.target, action.subject), recordedDecision(recorded.tenant, action));
  const next = new Map<string, string>();
  for (const step of playbook.steps) {
    const subjects: (ResolvedTarget | null)[] = step.subject ? resolveTargets(step.subject, input, run.actions) : [null];
    for (const target of resolveTargets(step.target, input, run.actions)) {
      for (const subject of subjects) {
        const looked = run.actions.find((a) => a.matrix && sameTarget(a.target, target));
        const decision = matrixDecision(recorded.tenant, step.action, looked?.target ?? target, looked?.matrix?.groups ?? []);
        next.set(measureKey(step.action, looked?.target ?? target, subject), step.requiresApproval && decision.endsWith('no approval') ? decision.replace('no approval', 'approval required by the playbook') : decision);
      }
    }
  }
  const keys = [...new Set([...old.keys(), ...next.keys()])].sort();
  return keys.flatMap((key) => {
    const decision = changed(old.get(key) ?? `not in ${run.playbook.id} v${run.playbook.version}`, next.get(key) ?? `not in ${playbook.id} v${playbook.version}`);
    return decision ? [{ measure: `${run.runId} ${key}`, ...decision }] : [];
  });
}

/** What the recorded run decided before the vendor was called: the matrix, or why it never got there. */
function recordedDecision(tenant: TenantPolicy, action: ActionRecord): string {
  if (action.matrix) return matrixDecision(tenant, action.action, action.target, action.matrix.groups);
  if (!actionSpec(action.action).measure) return 'not a measure (no matrix check)';
  return `handed to a human before the matrix: ${action.reason ?? action.state}`;
}

function sameTarget(a: ResolvedTarget, b: ResolvedTarget): boolean {
  return describeTarget(a) === describeTarget(b);
}

function measureKey(action: string, target: ResolvedTarget, subject: ResolvedTarget | null): string {
  return `${action} on ${describeTarget(target)}${subject ? ` / ${describeTarget(subject)}` : ''}`;
}

function measureName(run: PlaybookRunStatus, action: string, target: ResolvedTarget, subject: ResolvedTarget | null): string {
  return `${run.runId} ${measureKey(action, target, subject)}`;
}

/** Null when nothing differs; otherwise only the parts that do. */
function compact(difference: AlertDifference): AlertDifference | null {
  const result: AlertDifference = { alertId: difference.alertId, receivedAt: difference.receivedAt };
  if (difference.classification) result.classification = difference.classification;
  if (difference.response) result.response = difference.response;
  if (difference.measures && difference.measures.length > 0) result.measures = difference.measures;
  if (difference.notifications && difference.notifications.length > 0) result.notifications = difference.notifications;
  return Object.keys(result).length > 2 ? result : null;
}
