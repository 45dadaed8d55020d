/**
 * What a customer sees of a playbook run (R17): the measures on its own systems, their states and the notices it got,
 * without the SOC's internals: no analyst or approver ids, no approval reasons, no directory groups or matrix
 * reasoning, no vendor messages, references or error texts, no SOC on-call recipients.
 */
import type { NotificationRecord, TimelineEntry } from '../../domain/alertLifecycle';
import type { ActionRecord, PlaybookRunStatus } from '../../domain/response/playbookRun';

/** Timeline kinds whose detail may carry a vendor's message or an internal reason. */
const INTERNAL_DETAIL = new Set(['handed_to_human', 'action_failed', 'rejected', 'approved', 'undo_requested', 'matrix_checked']);

export function customerRunView(run: PlaybookRunStatus): PlaybookRunStatus {
  return {
    ...run,
    startedBy: asCustomerSees(run.startedBy),
    actions: run.actions.map(action),
    notifications: run.notifications.map(notification),
    timeline: run.timeline.map(entry),
  };
}

function asCustomerSees(actor: string): string {
  return actor.startsWith('system:') || actor === 'system' ? actor : 'soc';
}

function action(record: ActionRecord): ActionRecord {
  return {
    ...record,
    matrix: record.matrix && { ...record.matrix, reason: record.matrix.allowed ? 'allowed by the release matrix' : 'not allowed by the release matrix', groups: [] },
    approval: record.approval && { ...record.approval, by: record.approval.by && asCustomerSees(record.approval.by), reason: null },
    result: record.result && { ...record.result, detail: `${record.action}: ${record.result.outcome}`, vendorReference: null, outputs: {} },
    reason: record.reason === null ? null : 'handed to the SOC',
    undo: record.undo && { ...record.undo, detail: null },
  };
}

function notification(record: NotificationRecord): NotificationRecord {
  if (record.purpose === 'measure_notice') return { ...record, messageId: null, provider: null, failure: record.failure && 'not delivered' };
  return { ...record, recipient: 'soc', messageId: null, provider: null, failure: record.failure && 'not delivered' };
}

function entry(item: TimelineEntry): TimelineEntry {
  return { ...item, actor: asCustomerSees(item.actor), detail: INTERNAL_DETAIL.has(item.kind) ? item.kind.replace(/_/g, ' ') : item.detail };
}
