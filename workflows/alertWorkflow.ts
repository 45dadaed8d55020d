/**
 * One workflow per alert: analyse with detection rules, classify (R2), publish tiered by severity (R3). Package 1
 * ends there; packages 2 and 3 wait for service hours (R5) and go through analyst triage (R6-R8), a critical
 * incident escalating on its own while nobody acknowledges it (R19).
 */
import { timelineText } from '../domain/i18n/timelineText';
import { allHandlersFinished, condition, isCancellation, patched, proxyActivities, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import type { AlertActivities } from '../activities';
import type { AlertStatus, Classification, Publication } from '../domain/alertLifecycle';
import { classifyAnalysedAlert } from '../domain/analysedAlertClassification';
import { localPipeline, localWork } from './activityProfiles';
import { AlertRecord } from './alertRecord';
import type { AlertWorkflowInput } from './alertWorkflowInput';
import { awaitSupportHours } from './lifecycle/awaitSupportHours';
import { escalateUntilAcknowledged } from './lifecycle/escalateCritical';
import { registerPhoneCallbacks } from './lifecycle/phoneCallbacks';
import { enrichIndicators } from './lifecycle/enrichIndicators';
import { announce, deliveriesSettled } from './lifecycle/announce';
import { considerAutomaticIsolation } from './lifecycle/aiIsolation';
import { ResponseRuns } from './lifecycle/responseRuns';
import { registerCustomerOrders } from './lifecycle/customerOrders';
import { registerRetentionExpiry } from './lifecycle/retentionExpiry';
import { registerTriageHandlers } from './lifecycle/triageHandlers';
import { alertEvidenceQuery, alertStatusQuery, correlatedHitSignal } from './messages';

export type { AlertWorkflowInput } from './alertWorkflowInput';

type PipelineActivities = Pick<AlertActivities, 'analyseAlert' | 'publishAlert'>;
const remotePipeline = proxyActivities<PipelineActivities>(localWork);
const localPipelineActivities = proxyLocalActivities<PipelineActivities>(localPipeline);
type OneStepActivities = Pick<AlertActivities, 'analyseClassifyPublish'>;
const remoteOneStep = proxyActivities<OneStepActivities>(localWork);
const localOneStep = proxyLocalActivities<OneStepActivities>(localPipeline);

/**
 * From this patch on, a package-1 alert that is not a correlated incident analyses and publishes in local activities
 * (docs/performance.md): it ends right after publication, so its decision trail reads the classification from its
 * result. A local activity that still fails after its few attempts hands over to the regular activity, which retries
 * without end and shows in the problems view. Histories from before the patch replay with the regular activities.
 */
export const LOCAL_PIPELINE_PATCH = 'soar-package1-local-activities';

/**
 * From this patch on, a package-1 alert that is not a correlated incident and whose input carries its webhook targets
 * writes a shorter history (docs/performance.md): one patch marker instead of two (this patch implies
 * `outbound-webhooks` and `soar-package1-local-activities`, which are then not asked), no local activity to look up
 * the webhook targets, and the search attributes one activation sets (state and severity) in one upsert
 * (`AlertRecord.upsert`). Asked first of all, so that histories from before it replay on their own path.
 */
export const PACKAGE1_LEAN_PATCH = 'soar-package1-lean-history';

/**
 * From this patch on, such an alert (package 1, not a correlated incident, its webhook targets in its input) is
 * analysed, classified and published in ONE local activity (`analyseClassifyPublish`, docs/performance.md): one marker
 * instead of two, and the workflow records the result and completes in the activation after it. It implies the lean
 * history's patch (and with it that patch's own predecessors), which is then not asked; asked first of all, so that
 * histories from before it replay on their own path.
 */
export const PACKAGE1_ONE_STEP_PATCH = 'soar-package1-one-step';

/** `one-step` and `lean` write the lean history (`AlertRecord.upsert`); `other` is every other path. */
type Package1Path = 'one-step' | 'lean' | 'other';

function package1Path(input: AlertWorkflowInput): Package1Path {
  if (input.tenant.package !== 1 || input.correlation || input.webhookTargets === undefined) return 'other';
  if (patched(PACKAGE1_ONE_STEP_PATCH)) return 'one-step';
  return patched(PACKAGE1_LEAN_PATCH) ? 'lean' : 'other';
}

function pipelineActivities(input: AlertWorkflowInput, lean: boolean): PipelineActivities {
  if (input.tenant.package !== 1 || input.correlation || !(lean || patched(LOCAL_PIPELINE_PATCH))) return remotePipeline;
  return {
    analyseAlert: (args) => localFirst(localPipelineActivities.analyseAlert(args), () => remotePipeline.analyseAlert(args)),
    publishAlert: (args) => localFirst(localPipelineActivities.publishAlert(args), () => remotePipeline.publishAlert(args)),
  };
}

async function localFirst<T>(local: Promise<T>, regular: () => Promise<T>): Promise<T> {
  try {
    return await local;
  } catch (error) {
    // The SDK rejects a local activity's promise with its last failure (application error or timeout), as it is.
    if (isCancellation(error)) throw error;
    return regular();
  }
}

export async function alertWorkflow(input: AlertWorkflowInput): Promise<AlertStatus> {
  const path = package1Path(input);
  const alert = new AlertRecord(input, path !== 'other');
  setHandler(alertStatusQuery, () => alert.status);
  // Read from the input already in history: showing the evidence adds nothing to the history.
  setHandler(alertEvidenceQuery, () => input.alert);
  setHandler(correlatedHitSignal, (hit) => alert.countHits(hit));
  const runs = new ResponseRuns(alert);
  runs.register();
  registerTriageHandlers(alert, { mayClose: () => !runs.busy() });
  registerRetentionExpiry(alert, { mayClose: () => !runs.busy() });
  registerCustomerOrders(alert);
  registerPhoneCallbacks(alert);

  alert.record('received', `source:${input.alert.source}`, timelineText('received', { externalId: input.alert.externalId }));
  announce(alert, 'alert.received', { source: input.alert.source, externalId: input.alert.externalId });
  const hostnames = input.alert.entities.hosts.map((h) => h.hostname);
  const pipeline = path === 'one-step' ? null : pipelineActivities(input, alert.leanHistory);
  alert.enter('analysing');
  if (pipeline === null) {
    // Recorded without an await between the result and `published`: one upsert for the whole activation.
    alert.status.publication = recordOneStep(alert, await analyseClassifyPublish(alert, hostnames));
  } else {
    const { analyseAlert, publishAlert } = pipeline;
    alert.classify(await analyseAndClassify(alert, analyseAlert));
    alert.enter('classified');
    announceClassified(alert);
    alert.status.publication = await publishAlert({ status: { ...alert.status }, hostnames });
  }
  alert.record('published', 'system', timelineText('published', { file: alert.status.publication.file }));
  alert.enter('published');
  if (input.tenant.package === 1) {
    // R3: automation only, no analyst work. A correlated incident stays open to count its window's hits.
    await awaitWindowEnd(alert);
    await deliveriesSettled(alert);
    return alert.status;
  }

  // Beside triage: the analyst never waits for the providers' rate limits.
  void enrichIndicators(alert);
  await considerAutomaticIsolation(alert, runs);
  await triage(alert);
  await runs.finishAll();
  await condition(allHandlersFinished);
  await deliveriesSettled(alert);
  return alert.status;
}

async function triage(alert: AlertRecord): Promise<void> {
  const window = await awaitSupportHours(alert);
  if (window === null) return; // closed while waiting (R14 expiry)
  alert.enter('awaiting_triage');
  const contact = alert.input.tenant.fixedSocContact;
  alert.record('queued', 'system', contact ? timelineText('queuedRouted', { window, contact }) : timelineText('queued', { window }));
  // R19: a critical incident nobody holds escalates; one released back to the queue escalates again.
  while (alert.state !== 'closed') {
    if (alert.severity === 'critical' && alert.status.triage.assignedAnalyst === null) {
      await escalateUntilAcknowledged(alert);
      await condition(() => alert.state === 'closed' || alert.status.triage.assignedAnalyst !== null);
      continue;
    }
    await condition(() => alert.state === 'closed' || (alert.severity === 'critical' && alert.status.triage.assignedAnalyst === null));
  }
}

/** Waits until the correlation window closes (at most one window length from now: event clocks may be off). */
async function awaitWindowEnd(alert: AlertRecord): Promise<void> {
  const correlation = alert.input.correlation;
  if (!correlation) return;
  const length = Date.parse(correlation.windowEnd) - Date.parse(correlation.windowStart);
  const remaining = Math.min(Date.parse(correlation.windowEnd) - Date.now(), length);
  if (remaining > 0) await sleep(remaining);
}

function announceClassified(alert: AlertRecord): void {
  announce(alert, 'alert.classified', { decidedBy: alert.status.classification?.decidedBy.kind ?? null });
}

type OneStepResult = Awaited<ReturnType<AlertActivities['analyseClassifyPublish']>>;

/** Package 1 in one step (PACKAGE1_ONE_STEP_PATCH): the activity analyses, classifies and publishes. */
function analyseClassifyPublish(alert: AlertRecord, hostnames: string[]): Promise<OneStepResult> {
  const { input } = alert;
  const args = {
    alert: input.alert,
    product: input.sourceProduct,
    ...(input.eventDetection ? { eventDetection: input.eventDetection } : {}),
    status: { ...alert.status },
    hostnames,
  };
  return localFirst(localOneStep.analyseClassifyPublish(args), () => remoteOneStep.analyseClassifyPublish(args));
}

/** Records the one step's result in the order the other paths record theirs, and announces the classification as they do. */
function recordOneStep(alert: AlertRecord, result: OneStepResult): Publication {
  for (const step of result.steps) alert.record(step.kind, step.actor, step.detail);
  alert.classify(result.classification);
  alert.enter('classified');
  announceClassified(alert);
  return result.publication;
}

async function analyseAndClassify(alert: AlertRecord, analyseAlert: PipelineActivities['analyseAlert']): Promise<Classification> {
  const { input } = alert;
  const analysis = await analyseAlert({ alert: input.alert, product: input.sourceProduct });
  const { classification, steps } = classifyAnalysedAlert({ analysis, eventDetection: input.eventDetection, vendorSeverity: input.alert.vendorSeverity, source: input.alert.source });
  for (const step of steps) alert.record(step.kind, step.actor, step.detail);
  return classification;
}
