/**
 * One workflow per alert: analyse with detection rules, classify (R2), publish tiered by severity (R3). Package 1
 * ends there; packages 2 and 3 wait for service hours (R5) and go through analyst triage (R6-R8), a critical
 * incident escalating on its own while nobody acknowledges it (R19).
 */
import { timelineText } from '../domain/i18n/timelineText';
import { allHandlersFinished, condition, isCancellation, patched, proxyActivities, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import type { AlertActivities } from '../activities';
import type { AlertStatus, Classification } from '../domain/alertLifecycle';
import { classifyAlert, incidentRules } from '../domain/classification';
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

function leanHistory(input: AlertWorkflowInput): boolean {
  return input.tenant.package === 1 && !input.correlation && input.webhookTargets !== undefined && patched(PACKAGE1_LEAN_PATCH);
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
  const alert = new AlertRecord(input, leanHistory(input));
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
  const { analyseAlert, publishAlert } = pipelineActivities(input, alert.leanHistory);
  alert.enter('analysing');
  alert.classify(await analyseAndClassify(alert, analyseAlert));
  alert.enter('classified');
  announce(alert, 'alert.classified', { decidedBy: alert.status.classification?.decidedBy.kind ?? null });

  const hostnames = input.alert.entities.hosts.map((h) => h.hostname);
  alert.status.publication = await publishAlert({ status: { ...alert.status }, hostnames });
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

async function analyseAndClassify(alert: AlertRecord, analyseAlert: PipelineActivities['analyseAlert']): Promise<Classification> {
  const { input } = alert;
  const analysis = await analyseAlert({ alert: input.alert, product: input.sourceProduct });
  alert.record(
    'analysed',
    'system',
    analysis.matchedRules.length === 0
      ? timelineText('noRuleMatched', { ruleSet: analysis.ruleSetVersion })
      : timelineText('rulesMatched', { count: analysis.matchedRules.length, titles: analysis.matchedRules.map((r) => r.title).join('; ') }),
  );
  // Rules that matched the raw events come first: they are why this incident exists (R2).
  const eventRules = input.eventDetection?.matchedRules ?? [];
  if (eventRules.length > 0) {
    alert.record('analysed', 'system', timelineText('raisedFromEvents', { titles: eventRules.map((r) => r.title).join('; '), ruleSet: String(input.eventDetection?.ruleSetVersion) }));
  }
  const classification = classifyAlert({
    matchedRules: incidentRules(eventRules, analysis.matchedRules),
    vendorSeverity: input.alert.vendorSeverity,
    ruleSetVersion: analysis.ruleSetVersion,
  });
  const basis = classification.decidedBy;
  const actor = basis.kind === 'rule' ? `rule:${basis.ruleId}` : basis.kind === 'vendor' ? `vendor:${input.alert.source}` : 'system';
  const { severity } = classification;
  const why =
    basis.kind === 'rule'
      ? timelineText('classifiedByRule', { severity, rule: basis.ruleTitle })
      : basis.kind === 'vendor'
        ? timelineText('classifiedByVendor', { severity, vendorSeverity: basis.vendorSeverity })
        : timelineText('classifiedByDefault', { severity });
  alert.record('classified', actor, why);
  return classification;
}
