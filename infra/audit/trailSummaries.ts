/**
 * Person-readable summaries of what history payloads carry (activity inputs and results, Update arguments): short
 * on purpose. Raw inputs are never copied wholesale into the decision trail; message bodies are left out. Each text is
 * a catalogue key (`timeline.trail.*`) with its parameters, so the printable trail reads in the reader's language; the
 * English rendering is the entry's `detail`.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { timelineText, type TimelineParam, type TimelineText } from '../../domain/i18n/timelineText';

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

/** A trail entry's text: its English `detail` (the JSON answer) and its catalogue key for readers in other languages. */
export type TrailText = { detail: string; text: TimelineText };

/** The text `timeline.trail.<key>`. */
export function trailText(key: string, params: Record<string, TimelineParam> = {}): TrailText {
  return timelineText(`trail.${key}`, params);
}

const TARGET_KINDS = new Set(['user', 'host', 'ip', 'file', 'alert', 'firewall']);

/** `user j.becker@…`, `host WS-1`, `ip 203.0.113.7`, `firewall opnsense-fw1`: the kind in the reader's words. */
export function target(value: unknown): TimelineParam {
  const kind = text(value, 'kind');
  const name = text(value, 'upn') || text(value, 'hostname') || text(value, 'address') || text(value, 'sourceId') || text(value, 'alertId') || text(value, 'source');
  if (!kind) return trailText('target.none').text;
  return TARGET_KINDS.has(kind) && name ? trailText(`target.${kind}`, { name }).text : `${kind} ${name}`.trim();
}

/** What a workflow's start says about its subject, and who caused it. */
export function startSummary(workflowType: string, input: unknown): { actor: string } & TrailText {
  if (workflowType === 'alertWorkflow') {
    const source = text(input, 'alert', 'source');
    return {
      actor: `source:${source}`,
      ...trailText('alertReceived', {
        title: clip(text(input, 'alert', 'title'), 160),
        externalId: text(input, 'alert', 'externalId'),
        tenantId: text(input, 'alert', 'tenantId'),
        package: text(input, 'tenant', 'package'),
      }),
    };
  }
  if (workflowType === 'playbookRunWorkflow') {
    const params = { ...playbookParams(input), alertId: text(input, 'alertId') || 'the alert' };
    return { actor: text(input, 'startedBy') || 'system', ...trailText(text(input, 'mode') === 'dry-run' ? 'playbookRunStartedDry' : 'playbookRunStarted', params) };
  }
  return { actor: 'system', ...trailText('workflowStarted', { workflowType }) };
}

const playbookParams = (value: unknown) => ({ playbookId: text(value, 'playbook', 'id'), version: text(value, 'playbook', 'version'), digest: text(value, 'playbook', 'digest') });

const ANALYST_UPDATES: Record<string, (args: unknown) => TrailText> = {
  claimAlert: () => trailText('claimAlert'),
  releaseAlert: () => trailText('releaseAlert'),
  reassignAlert: (a) => trailText('reassignAlert', { to: text(a, 'to') }),
  addNote: (a) => trailText('addNote', { note: clip(text(a, 'text')) }),
  assessAlert: (a) => trailText('assessAlert', { severity: text(a, 'severity'), verdict: text(a, 'verdict'), rationale: clip(text(a, 'rationale')) }),
  recordIocs: (a) => {
    const iocs = field(a, 'iocs');
    const list = Array.isArray(iocs) ? iocs : [];
    return trailText('recordIocs', { number: list.length, indicators: clip(list.map((i) => `${text(i, 'type')} ${text(i, 'value')} ${text(i, 'finding')}`).join('; ')) });
  },
  recommend: (a) => trailText('recommend', { recommendation: clip(text(a, 'recommendation')) }),
  closeAlert: (a) => trailText('closeAlert', { summary: clip(text(a, 'summary')) }),
  requestWorkOrder: (a) => trailText('requestWorkOrder', { description: clip(text(a, 'description')) }),
  startPlaybook: (a) => trailText(text(a, 'mode') === 'dry-run' ? 'startPlaybookDry' : 'startPlaybook', playbookParams(a)),
  undoRun: (a) => trailText('undoRun', { reason: clip(text(a, 'reason')) }),
};

/** Who sent an Update and what it asked for, from its arguments (the actor comes from the API key, R18). */
export function updateSummary(name: string, args: unknown): { kind: 'approval' | 'classification' | 'playbook' | 'undo' | 'decision'; actor: string; evidence?: Record<string, unknown> } & TrailText {
  if (name === 'decideAction') {
    const digest = text(args, 'digest');
    const decision = text(args, 'decision');
    return {
      kind: 'approval',
      actor: `${text(args, 'approver', 'role')}:${text(args, 'approver', 'id')}`,
      ...trailText(decision === 'approve' ? 'approved' : 'rejected', { digest, reason: clip(text(args, 'reason')) }),
      evidence: { digest, decision },
    };
  }
  const who = text(args, 'analyst', 'id') || text(args, 'requestedBy', 'id');
  const actor = name === 'requestWorkOrder' ? `customer:${who}` : `analyst:${who}`;
  const kind = name === 'assessAlert' ? 'classification' : name === 'startPlaybook' ? 'playbook' : name === 'undoRun' ? 'undo' : 'decision';
  return { kind, actor, ...(ANALYST_UPDATES[name] ?? (() => trailText('update', { name })))(args) };
}

/** The classification the workflow handed to publication (R2): who decided (rule, vendor or default) and why. */
export function classificationOf(publishInput: unknown): ({ actor: string } & TrailText) | null {
  const classification = field(publishInput, 'status', 'classification');
  if (!classification) return null;
  const basis = field(classification, 'decidedBy');
  const kind = text(basis, 'kind');
  const actor = kind === 'rule' ? `rule:${text(basis, 'ruleId')}` : kind === 'vendor' ? `vendor:${text(publishInput, 'status', 'source')}` : 'system';
  const common = { severity: text(classification, 'severity'), ruleSetVersion: text(classification, 'ruleSetVersion') };
  if (kind === 'rule') return { actor, ...trailText('classifiedByRule', { ...common, ruleTitle: text(basis, 'ruleTitle') }) };
  if (kind === 'vendor') return { actor, ...trailText('classifiedByVendor', { ...common, vendorSeverity: text(basis, 'vendorSeverity') }) };
  return { actor, ...trailText('classifiedByDefault', { ...common, reason: text(basis, 'reason') }) };
}
