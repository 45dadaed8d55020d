/**
 * One playbook action with the steps the engine inserts around it (R8, R9, R11, R12): look the target up, check
 * the release matrix, refuse unsafe targets, wait for an approval bound to this exact action, wait for service
 * hours, tell the customer, and only then call the vendor. A refusal hands the action to a human and never calls
 * the vendor; a vendor's permanent refusal fails it with the vendor's message.
 */
import { ActivityFailure, ApplicationFailure, condition, patched } from '@temporalio/workflow';
import { nextServiceOpening } from '../../domain/calendar/serviceCalendar';
import type { PlaybookStep } from '../../domain/playbook/playbookDefinition';
import { actionSpec, undoOf } from '../../domain/response/actionCatalog';
import type { ActionRequest, TargetFacts } from '../../domain/response/actionContract';
import { blockRefusal } from '../../domain/response/blockableIp';
import type { ActionRecord } from '../../domain/response/playbookRun';
import { decideRelease, fourEyesRequired } from '../../domain/response/releaseMatrix';
import { verifyIdentity } from '../../domain/response/targetIdentity';
import { describeTarget, type ResolvedTarget } from '../../domain/response/targets';
import { responsiblePeople } from '../../domain/response/responsiblePeople';
import { responseDecision } from '../../domain/response/responsePolicy';
import type { Severity } from '../../domain/severity';
import type { PolicyContact } from '../../domain/tenantPolicy';
import { measureInWords } from '../../domain/i18n/measureWords';
import { managementEscalationMessage, measureNoticeMessage } from '../../domain/i18n/customerMessages';
import { languageOf } from '../../domain/i18n/language';
import { approvalWaitingPage, measureFailedPage, socLanguageOf } from '../../domain/i18n/socMessages';
import { escalateAlongChain } from '../lifecycle/escalateCritical';
import { notifyPerson } from '../lifecycle/notifyPeople';
import { actionDigest } from './actionDigest';
import type { PlaybookRunRecord } from './runRecord';
import { lookUpTarget, vendorActivity } from './vendorActivities';
import { tellSoc } from '../lifecycle/socChannel';

const DAY_MS = 86_400_000;
const DEFAULT_APPROVAL_VALIDITY_MS = 3_600_000;
/** Patch: an approval given before a wait for service hours expires and is asked for again. */
const APPROVAL_EXPIRES_ACROSS_WAIT = 'approval-expires-across-wait';
/** Patch: measure notices go to responsible people only, never to a billing contact (R8). */
const RESPONSIBLE_PEOPLE_ONLY = 'measure-notices-to-responsible-people';
/** Runs recorded before this patch acted on the alert's names; newer ones verify them at the vendor first. */
const VERIFIED_TARGETS_PATCH = 'verified-targets';

/** How the action ended for the run: `fatal` stops the run (and undoes what it did). */
export type ActionOutcome = 'ok' | 'handed_over' | 'fatal';

export async function carryOutAction(run: PlaybookRunRecord, step: PlaybookStep, target: ResolvedTarget, subject: ResolvedTarget | null): Promise<ActionOutcome> {
  const sequence = run.status.actions.filter((a) => a.stepId === step.id).length + 1;
  const record = run.add({
    key: `${run.status.workflowId}/${step.id}/${sequence}`,
    stepId: step.id,
    action: step.action,
    target,
    subject,
    params: step.params,
    digest: actionDigest({ run: run.status.workflowId, step: step.id, action: step.action, target, subject, params: step.params }),
    state: 'pending',
    matrix: null,
    approval: null,
    notices: [],
    result: null,
    reason: null,
    undo: null,
  });
  const spec = actionSpec(step.action);
  if (!spec.measure) return execute(run, record, false);

  const facts = await lookUp(run, record);
  if (!facts) return 'handed_over';
  if (!checkMatrix(run, record, facts.groups)) return 'handed_over';
  const unsafe = unsafeTarget(run, record);
  if (unsafe) return handOver(run, record, unsafe);
  const refused = await approvedInServiceHours(run, record, step);
  if (refused) return refused;
  if (!(await tellCustomerFirst(run, record))) {
    return handOver(run, record, run.dryRun ? 'DRY-RUN: no test notice reached the SOC' : 'R8: no responsible person of the customer could be informed before the measure');
  }
  return execute(run, record, true);
}

/**
 * Users and hosts are looked up at the vendor first: an id from the alert must belong to the named user or host
 * (`verifyIdentity`), and the matrix then sees the vendor's name and groups, the action the vendor's ids.
 */
async function lookUp(run: PlaybookRunRecord, record: ActionRecord): Promise<TargetFacts | null> {
  if (record.target.kind !== 'user' && record.target.kind !== 'host') return { target: record.target, groups: [], found: true };
  try {
    const facts = await lookUpTarget({ tenantId: run.status.tenantId, target: record.target });
    if (!facts.found) {
      handOver(run, record, `${describeTarget(record.target)} is not known to the vendor`);
      return null;
    }
    if (!patched(VERIFIED_TARGETS_PATCH)) {
      record.target = facts.target;
      return facts;
    }
    const check = verifyIdentity(record.target, facts);
    if (!check.verified) {
      handOver(run, record, check.reason);
      return null;
    }
    record.target = check.target;
    return { ...facts, target: check.target };
  } catch (error) {
    handOver(run, record, `Could not look up ${describeTarget(record.target)}: ${failureText(error)}`);
    return null;
  }
}

function checkMatrix(run: PlaybookRunRecord, record: ActionRecord, groups: string[]): boolean {
  const permission = actionSpec(record.action).permission ?? record.action;
  const decision = decideRelease(run.input.tenant.response.releaseMatrix, permission, record.target, { groups });
  record.matrix = decision.allowed
    ? { allowed: true, reason: decision.reason, rule: decision.rule, requiresApproval: decision.requiresApproval, groups }
    : { allowed: false, reason: decision.reason, rule: null, requiresApproval: false, groups };
  run.record('matrix_checked', 'system', `${record.action} on ${describeTarget(record.target)}: ${decision.reason}`);
  if (!decision.allowed) handOver(run, record, decision.reason);
  return decision.allowed;
}

/** R12: never block an internal address or the firewall's own. */
function unsafeTarget(run: PlaybookRunRecord, record: ActionRecord): string | null {
  if (record.target.kind !== 'firewall' || record.subject?.kind !== 'ip') return null;
  const firewallId = record.target.sourceId;
  const firewall = run.input.tenant.response.firewalls.find((f) => f.sourceId === firewallId);
  const refusal = blockRefusal(record.subject.address, firewall?.addresses ?? []);
  return refusal ? `R12: ${record.subject.address} is never blocked: ${refusal}` : null;
}

/** An approval bound to this action's digest, unless neither the matrix nor the playbook asks for one (R8, R19). */
async function approval(run: PlaybookRunRecord, record: ActionRecord, step: PlaybookStep): Promise<boolean> {
  const required = (record.matrix?.requiresApproval ?? true) || step.requiresApproval;
  const asked = record.approval === null ? 1 : (record.approval.asked ?? 1) + 1;
  const rule = record.matrix?.rule == null ? undefined : run.input.tenant.response.releaseMatrix.rules[record.matrix.rule];
  const fourEyes = rule !== undefined && fourEyesRequired(rule);
  record.approval = { required, fourEyes, digest: record.digest, decision: null, by: null, at: null, reason: null, ...(asked > 1 ? { asked } : {}) };
  if (!required) return true;
  if (run.dryRun && run.input.shadowOf) {
    // A shadow run asks nobody: its decisions are compared with the live run's, which gets the approvals.
    run.record('approval_requested', 'system', `SHADOW: ${record.action} on ${describeTarget(record.target)} would wait for an approval of ${record.digest}; not asked`);
    return true;
  }
  const isolation = run.input.isolation;
  if (isolation) {
    // R11: the isolation score stands in for the analyst; its reasoning is recorded with the run.
    Object.assign(record.approval, {
      decision: 'approve',
      by: 'system:ai-isolation',
      at: new Date().toISOString(),
      reason: `confidence ${isolation.confidence} >= ${isolation.threshold} (${isolation.model})`,
    });
    run.record('approved', 'system:ai-isolation', `${record.action} on ${describeTarget(record.target)}: ${record.approval.reason}`);
    return true;
  }
  record.state = 'awaiting_approval';
  run.record('approval_requested', 'system', `${record.action} on ${describeTarget(record.target)} waits for an analyst's approval of ${record.digest}`);
  tellSoc(run, { kind: 'approval_waiting', severity: null, rules: [], action: record.action });
  const decided = () => record.approval?.decision != null || run.undoRequest !== null || run.finishRequested;
  if (!(await condition(decided, run.input.tenant.response.approvalTimeoutMs))) {
    const { tenantId, alertId } = run.status;
    const { subject, body } = approvalWaitingPage(socLanguageOf(run.input.tenant), { ...record, tenantId, alertId, playbook: run.status.playbook.id });
    const toManagement = managementEscalationMessage(languageOf(run.input.tenant.language), { title: run.input.alert.title, alertId: run.status.alertId });
    await escalateAlongChain(run, run.input.tenant.escalation, decided, { subject, body, what: 'decision', toManagement });
    await condition(decided);
  }
  if (record.approval.decision === 'approve') return true;
  if (record.approval.decision === 'reject') {
    record.state = 'rejected';
    record.reason = record.approval.reason;
    return false;
  }
  record.state = 'skipped';
  record.reason = run.undoRequest ? 'The run was undone before a decision' : 'The alert was closed before a decision';
  return false;
}

/**
 * The approval, then service hours (R9). An approval does not outlive a wait: one older than its validity (default
 * one hour) when service opens has expired and is asked for again, so a Friday 16:58 approval never runs on Monday
 * unconfirmed. The timeline keeps both decisions. Null when the measure may go on.
 */
async function approvedInServiceHours(run: PlaybookRunRecord, record: ActionRecord, step: PlaybookStep): Promise<ActionOutcome | null> {
  for (;;) {
    if (!(await approval(run, record, step))) return 'handed_over';
    const window = await serviceWindow(run, record);
    if (window) return handOver(run, record, window);
    const given = record.approval?.required && record.approval.at ? Date.parse(record.approval.at) : null;
    const validityMs = run.input.tenant.response.approvalValidityMs ?? DEFAULT_APPROVAL_VALIDITY_MS;
    // patched() only where an approval has expired: histories from before this rule replay their unconfirmed run.
    if (given === null || Date.now() - given <= validityMs || !patched(APPROVAL_EXPIRES_ACROSS_WAIT)) return null;
    run.record(
      'approval_expired',
      'system',
      `${record.action} on ${describeTarget(record.target)}: the approval by ${record.approval?.by} at ${record.approval?.at} is older than ${validityMs / 60_000} minutes now that service is open; asked again`,
    );
  }
}

/** R9: package 2 runs measures only in service hours (unless weekend emergency or 24/7 apply); R10 keeps them billable. */
async function serviceWindow(run: PlaybookRunRecord, record: ActionRecord): Promise<string | null> {
  const { tenant, severity } = run.input;
  for (;;) {
    const now = new Date();
    const decision = responseDecision(tenant, severity, now, run.input.customerOrder ?? null);
    if (decision.allowed) {
      if (record.state === 'waiting_for_service') run.wakeAt(null);
      return null;
    }
    if (decision.rule !== 'R9') return decision.reason;
    const opens = nextServiceOpening(tenant.terms, now, severity) ?? new Date(now.getTime() + DAY_MS);
    if (record.state !== 'waiting_for_service') {
      record.state = 'waiting_for_service';
      run.record('waiting_for_service', 'system', `R9: ${record.action} on ${describeTarget(record.target)} waits for service hours, opening ${opens.toISOString()}`);
    }
    run.wakeAt(opens);
    // A durable timer; an undo or the alert's closing ends the wait.
    if (await condition(() => run.undoRequest !== null || run.finishRequested, opens.getTime() - now.getTime())) return 'The run ended before service hours opened';
  }
}

/** R8: a responsible person of the customer is told before every measure; without a delivered notice nothing runs. */
async function tellCustomerFirst(run: PlaybookRunRecord, record: ActionRecord): Promise<boolean> {
  const { tenant, severity } = run.input;
  // The measure in the customer's words (a German letter names the measure in German).
  const what = measureInWords(languageOf(tenant.language), record);
  const text = measureNoticeMessage(languageOf(tenant.language), {
    title: run.input.alert.title,
    alertId: run.status.alertId,
    severity,
    measure: what,
    playbook: run.status.playbook.title,
    version: run.status.playbook.version,
    digest: record.digest,
  });
  const { subject, body, language } = text;
  const before = run.status.notifications.length;
  if (run.dryRun && run.input.shadowOf) {
    const would = noticeRecipients(tenant.contacts, severity).map((c) => c.email);
    run.record('notified', 'system', `SHADOW: the measure notice for ${record.digest} would have gone to ${would.join(', ') || 'nobody'}; nothing sent`);
    return would.length > 0;
  }
  if (run.dryRun) {
    const delivered = await tellSocInstead(run, record, { subject, body, recipients: noticeRecipients(tenant.contacts, severity).map((c) => c.email) });
    record.notices = run.status.notifications.map((_, index) => index).slice(before);
    return delivered;
  }
  let delivered = false;
  for (const contact of noticeRecipients(tenant.contacts, severity)) {
    delivered = (await notifyPerson(run, { purpose: 'measure_notice', channel: 'email', to: contact.email, subject, body, language })) || delivered;
  }
  if (!delivered) {
    for (const contact of tenant.contacts.filter((c) => c.role === 'management' && c.mobile && c.phone)) {
      const sms = { purpose: 'measure_notice', channel: 'sms', to: contact.phone ?? '', subject, body: text.sms, language } as const;
      delivered = (await notifyPerson(run, sms)) || delivered;
      if (delivered) break;
    }
  }
  record.notices = run.status.notifications.map((_, index) => index).slice(before);
  return delivered;
}

/**
 * R8: the responsible people (management, IT, security) notified for the severity. Runs from before this rule told
 * every contact for the severity; `patched()` is asked only where the two lists differ, so their histories replay.
 */
export function noticeRecipients(contacts: readonly PolicyContact[], severity: Severity): readonly PolicyContact[] {
  const everyone = contacts.filter((c) => c.notify.includes(severity));
  const responsible = responsiblePeople(contacts, severity);
  return responsible.length === everyone.length || patched(RESPONSIBLE_PEOPLE_ONLY) ? responsible : everyone;
}

/**
 * Dry-run: the measure notice goes, marked as a test, to the SOC's on-call addresses by mail (the first on-call step
 * when none is a mailbox), naming whom the customer notice would have reached. The customer is told nothing.
 */
async function tellSocInstead(run: PlaybookRunRecord, record: ActionRecord, notice: { subject: string; body: string; recipients: string[] }): Promise<boolean> {
  const steps = run.input.tenant.escalation?.steps ?? [];
  const mailboxes = steps.filter((s) => s.channel === 'email');
  const to = mailboxes.length > 0 ? mailboxes : steps.slice(0, 1);
  const would = notice.recipients.length > 0 ? notice.recipients.join(', ') : 'nobody (no responsible person for this severity)';
  run.record('notified', 'system', `DRY-RUN: the measure notice for ${record.digest} would have gone to ${would}; a test notice goes to the SOC instead`);
  let delivered = false;
  for (const step of to) {
    const message = {
      purpose: 'dry_run_notice',
      channel: step.channel,
      to: step.to,
      subject: `[TEST / DRY-RUN] ${notice.subject}`,
      body: `TEST NOTICE of a dry-run of playbook ${run.status.playbook.id} v${run.status.playbook.version} on alert ${run.status.alertId}. Nothing is carried out and the customer is not told. This notice would have gone to: ${would}.\n\n${notice.body}`,
    } as const;
    delivered = (await notifyPerson(run, message)) || delivered;
  }
  return delivered;
}

async function execute(run: PlaybookRunRecord, record: ActionRecord, measure: boolean): Promise<ActionOutcome> {
  const spec = actionSpec(record.action);
  if (!run.dryRun) record.state = 'running';
  const request: ActionRequest = {
    tenantId: run.status.tenantId,
    alertId: run.status.alertId,
    requestKey: record.key,
    action: record.action,
    target: record.target,
    subject: record.subject,
    params: record.params,
    comment: `SOC playbook ${run.status.playbook.id} v${run.status.playbook.version}, alert ${run.status.alertId}, action ${record.key}`,
  };
  if (run.dryRun) return recordWouldCall(run, record, spec.activity, request);
  try {
    const result = await vendorActivity(spec)(request);
    record.result = result;
    record.state = result.outcome;
    const undo = undoOf(record.action);
    if (undo) record.undo = { action: undo, state: 'registered', detail: null };
    run.record('action_done', run.input.startedBy, `${record.action} on ${describeTarget(record.target)}: ${result.detail}`);
    return 'ok';
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    record.state = 'failed';
    record.reason = failureText(error);
    run.record('action_failed', 'system', `${record.action} on ${describeTarget(record.target)} failed: ${record.reason}`);
    if (!measure) return 'ok'; // bookkeeping (an alert comment) never rolls back containment
    await reportFailure(run, record);
    return 'fatal';
  }
}

/** Dry-run: the run stops before the vendor change and keeps what it would have called, with which arguments. */
function recordWouldCall(run: PlaybookRunRecord, record: ActionRecord, activity: string, request: ActionRequest): ActionOutcome {
  record.state = 'would_run';
  record.wouldCall = { activity, request };
  run.record('dry_run_call', run.input.startedBy, `DRY-RUN: would call ${activity} for ${record.action} on ${describeTarget(record.target)} (${record.digest}); no vendor change made`);
  return 'ok';
}

/** A vendor's permanent refusal goes to the SOC's first on-call step with the vendor's message. */
async function reportFailure(run: PlaybookRunRecord, record: ActionRecord): Promise<void> {
  const first = run.input.tenant.escalation?.steps[0];
  if (!first) return;
  const language = socLanguageOf(run.input.tenant);
  const { subject, body } = measureFailedPage(language, { ...record, tenantId: run.status.tenantId, alertId: run.status.alertId, reason: record.reason ?? '' });
  await notifyPerson(run, { purpose: 'response_failure', channel: first.channel, to: first.to, subject, body, language });
}

function handOver(run: PlaybookRunRecord, record: ActionRecord, reason: string): ActionOutcome {
  record.state = 'handed_to_human';
  record.reason = reason;
  run.record('handed_to_human', 'system', `${record.action} on ${describeTarget(record.target)} handed to an analyst: ${reason}`);
  return 'handed_over';
}

/** The failure as a person reads it: the type from the activity (e.g. VendorRefused) and the vendor's message. */
export function failureText(error: unknown): string {
  if (error instanceof ActivityFailure) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
    return cause?.message ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

