/**
 * Person-readable summaries of what history payloads carry (activity inputs and results, Update arguments): short
 * on purpose. Raw inputs are never copied wholesale into the decision trail; message bodies are left out.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type Payloads = temporal.api.common.v1.IPayloads | null | undefined;

/** The decoded payloads, or `undefined` where one cannot be decoded (it stays out of the trail). */
export function decode(payloads: Payloads): unknown[] {
  return (payloads?.payloads ?? []).map((payload) => {
    try {
      return defaultPayloadConverter.fromPayload(payload);
    } catch {
      return undefined;
    }
  });
}

/** A field of untyped history data, read safely: `field(x, 'approver', 'id')`. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function text(value: unknown, ...path: string[]): string {
  const found = field(value, ...path);
  return typeof found === 'string' || typeof found === 'number' || typeof found === 'boolean' ? String(found) : '';
}

export function clip(value: string, max = 300): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** `user j.becker@…`, `host WS-1`, `ip 203.0.113.7`, `firewall opnsense-fw1`. */
export function target(value: unknown): string {
  const kind = text(value, 'kind');
  const name = text(value, 'upn') || text(value, 'hostname') || text(value, 'address') || text(value, 'sourceId') || text(value, 'alertId') || text(value, 'source');
  return kind ? `${kind} ${name}`.trim() : 'its target';
}

/** What a workflow's start says about its subject, and who caused it. */
export function startSummary(workflowType: string, input: unknown): { actor: string; detail: string } {
  if (workflowType === 'alertWorkflow') {
    const source = text(input, 'alert', 'source');
    return {
      actor: `source:${source}`,
      detail: `Alert '${clip(text(input, 'alert', 'title'), 160)}' (${text(input, 'alert', 'externalId')}) received for ${text(input, 'alert', 'tenantId')}, package ${text(input, 'tenant', 'package')}`,
    };
  }
  if (workflowType === 'playbookRunWorkflow') {
    return {
      actor: text(input, 'startedBy') || 'system',
      detail: `Playbook ${text(input, 'playbook', 'id')} v${text(input, 'playbook', 'version')} (${text(input, 'playbook', 'digest')}) started for ${text(input, 'alertId') || 'the alert'}${text(input, 'mode') === 'dry-run' ? ' as a DRY-RUN (no vendor change, not a measure)' : ''}`,
    };
  }
  return { actor: 'system', detail: `${workflowType} started` };
}

const ANALYST_UPDATES: Record<string, (args: unknown) => string> = {
  claimAlert: () => 'Claimed and acknowledged the alert',
  releaseAlert: () => 'Gave the alert back to the queue',
  reassignAlert: (a) => `Handed the alert to ${text(a, 'to')}`,
  addNote: (a) => `Case note: ${clip(text(a, 'text'))}`,
  assessAlert: (a) => `Assessed ${text(a, 'severity')}, ${text(a, 'verdict')}: ${clip(text(a, 'rationale'))}`,
  recordIocs: (a) => {
    const iocs = field(a, 'iocs');
    const list = Array.isArray(iocs) ? iocs : [];
    return `${list.length} indicator(s) checked: ${clip(list.map((i) => `${text(i, 'type')} ${text(i, 'value')} ${text(i, 'finding')}`).join('; '))}`;
  },
  recommend: (a) => `Recommended: ${clip(text(a, 'recommendation'))}`,
  closeAlert: (a) => `Closed: ${clip(text(a, 'summary'))}`,
  requestWorkOrder: (a) => `Work order requested: ${clip(text(a, 'description'))}`,
  startPlaybook: (a) => `Started playbook ${text(a, 'playbook', 'id')} v${text(a, 'playbook', 'version')} (${text(a, 'playbook', 'digest')})${text(a, 'mode') === 'dry-run' ? ' as a DRY-RUN' : ''}`,
  undoRun: (a) => `Requested the undo of the run: ${clip(text(a, 'reason'))}`,
};

/** Who sent an Update and what it asked for, from its arguments (the actor comes from the API key, R18). */
export function updateSummary(name: string, args: unknown): { kind: 'approval' | 'classification' | 'playbook' | 'undo' | 'decision'; actor: string; detail: string; evidence?: Record<string, unknown> } {
  if (name === 'decideAction') {
    const digest = text(args, 'digest');
    const decision = text(args, 'decision');
    return {
      kind: 'approval',
      actor: `${text(args, 'approver', 'role')}:${text(args, 'approver', 'id')}`,
      detail: `${decision === 'approve' ? 'Approved' : 'Rejected'} ${digest}: ${clip(text(args, 'reason'))}`,
      evidence: { digest, decision },
    };
  }
  const who = text(args, 'analyst', 'id') || text(args, 'requestedBy', 'id');
  const actor = name === 'requestWorkOrder' ? `customer:${who}` : `analyst:${who}`;
  const kind = name === 'assessAlert' ? 'classification' : name === 'startPlaybook' ? 'playbook' : name === 'undoRun' ? 'undo' : 'decision';
  return { kind, actor, detail: (ANALYST_UPDATES[name] ?? (() => `Update ${name}`))(args) };
}

/** The classification the workflow handed to publication (R2): who decided (rule, vendor or default) and why. */
export function classificationOf(publishInput: unknown): { actor: string; detail: string } | null {
  const classification = field(publishInput, 'status', 'classification');
  if (!classification) return null;
  const basis = field(classification, 'decidedBy');
  const kind = text(basis, 'kind');
  const actor = kind === 'rule' ? `rule:${text(basis, 'ruleId')}` : kind === 'vendor' ? `vendor:${text(publishInput, 'status', 'source')}` : 'system';
  const why =
    kind === 'rule' ? `by rule '${text(basis, 'ruleTitle')}'` : kind === 'vendor' ? `from the vendor severity '${text(basis, 'vendorSeverity')}'` : `by default (${text(basis, 'reason')})`;
  return { actor, detail: `Classified ${text(classification, 'severity')} ${why} (rule set ${text(classification, 'ruleSetVersion')})` };
}
