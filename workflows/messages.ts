/** The messages an alert workflow answers: its state is a Query; every human decision is an Update with a validator. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { NormalisedAlert } from '../domain/alert';
import type { AlertStatus, DeliveryReport, IocCheck, Verdict } from '../domain/alertLifecycle';
import type { CorrelatedHit } from '../domain/correlation';
import { EXPIRE_ALERT_UPDATE } from '../domain/retention';
import type { PlaybookDefinition } from '../domain/playbook/playbookDefinition';
import type { ActionRecord, PlaybookRunStatus, PlaybookRunSummary, RunMode, RunState } from '../domain/response/playbookRun';
import type { Severity } from '../domain/severity';
import type { CallerAssertion } from '../domain/callerAssertion';

/** An Update argument with the API's signed caller assertion (domain/callerAssertion.ts); absent from older histories. */
export type Signed<T> = T & { caller?: CallerAssertion };

export const alertStatusQuery = defineQuery<AlertStatus>('alertStatus');
/** The alert as intake handed it over (entities, techniques, the vendor's record): what the evidence view is read from. */
export const alertEvidenceQuery = defineQuery<NormalisedAlert>('alertEvidence');

/** More rule hits for a correlated incident (sent with signal-with-start by the event intake). */
export const correlatedHitSignal = defineSignal<[CorrelatedHit]>('correlatedHit');

/** Who acts, as established from the API key: recorded in history (R18). */
export interface Actor {
  id: string;
}

export const claimAlertUpdate = defineUpdate<AlertStatus, [Signed<{ analyst: Actor }>]>('claimAlert');
/** A phone provider's signed delivery report for one of the alert's notifications (R8), matched by its message id. */
export const phoneDeliveryReportSignal = defineSignal<[{ messageId: string; report: DeliveryReport }]>('phoneDeliveryReport');
/** The on-call person pressed a key on an escalation call (signed by the provider): 1 takes the incident like a claim (R19). */
export const acknowledgeByPhoneUpdate = defineUpdate<AlertStatus, [{ callId: string; digits: string; number: string }]>('acknowledgeByPhone');
/** The assigned analyst gives the alert back to the queue. */
export const releaseAlertUpdate = defineUpdate<AlertStatus, [Signed<{ analyst: Actor }>]>('releaseAlert');
/** Any analyst hands a claimed alert to a named analyst (shift change, sickness). */
export const reassignAlertUpdate = defineUpdate<AlertStatus, [Signed<{ analyst: Actor; to: string }>]>('reassignAlert');
/** A case note (SOC-internal): author and time are recorded in the history and the decision trail (R18). */
export const addNoteUpdate = defineUpdate<AlertStatus, [Signed<{ analyst: Actor; text: string }>]>('addNote');
export const assessAlertUpdate = defineUpdate<AlertStatus, [Signed<{ analyst: Actor; severity: Severity; verdict: Verdict; rationale: string }>]>('assessAlert');
export const recordIocsUpdate = defineUpdate<AlertStatus, [Signed<{ analyst: Actor; iocs: IocCheck[] }>]>('recordIocs');
export const recommendUpdate = defineUpdate<AlertStatus, [Signed<{ analyst: Actor; recommendation: string }>]>('recommend');
export const closeAlertUpdate = defineUpdate<AlertStatus, [Signed<{ analyst: Actor; summary: string }>]>('closeAlert');
/** R14: the daily purge closes an open alert past its tenant's retention as expired. */
export const expireAlertUpdate = defineUpdate<AlertStatus, [Signed<{ retentionDays: number; cutoff: string }>]>(EXPIRE_ALERT_UPDATE);
export const requestWorkOrderUpdate = defineUpdate<AlertStatus, [Signed<{ requestedBy: Actor; description: string }>]>('requestWorkOrder');
/** R10: the customer ordered measures on this alert, recorded as a billable work order (by the customer or an analyst). */
export const customerOrderUpdate = defineUpdate<AlertStatus, [Signed<{ workOrderId: string; requestedBy: string }>]>('customerOrder');

/** Playbooks (R8): an analyst starts a predefined playbook on the alert; the API hands over the validated definition. */
/** `mode` absent: live (the only mode before dry-runs). `shadow`: a shadow revision started beside a live run as a dry-run. */
export const startPlaybookUpdate = defineUpdate<PlaybookRunSummary, [Signed<{ analyst: Actor; playbook: PlaybookDefinition; mode?: RunMode; shadow?: PlaybookDefinition }>]>('startPlaybook');
/** Sent by a playbook run to its alert when its state changes, so the alert's record stays current. */
export const playbookRunStateSignal = defineSignal<[{ runId: string; state: RunState }]>('playbookRunState');

export const playbookRunQuery = defineQuery<PlaybookRunStatus>('playbookRun');

/** Who decides an approval, as established from the API key: the role is checked again in the validator. */
export interface Approver {
  id: string;
  role: string;
}

/** An approval is bound to the digest of one exact action and target: approving one thing can never approve another. */
export const decideActionUpdate = defineUpdate<ActionRecord, [Signed<{ approver: Approver; digest: string; decision: 'approve' | 'reject'; reason: string }>]>(
  'decideAction',
);
/** Undo every measure of the run that registered an undo, in reverse order. */
export const undoRunUpdate = defineUpdate<PlaybookRunStatus, [Signed<{ analyst: Actor; reason: string }>]>('undoRun');
/** The alert was closed: the run finishes (no undo after that). */
export const finishRunSignal = defineSignal('finishRun');
