/**
 * R11 AI-assisted endpoint isolation: a transparent score judges whether the threat is clearly recognised; at or
 * above the tenant's threshold the isolation playbook starts by itself, still through the release matrix and the
 * customer notice before the measure. The reasoning is recorded either way. An aid, never a guarantee.
 */
import { timelineText } from '../../domain/i18n/timelineText';
import { ActivityFailure, patched, proxyActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../../activities';
import type { VendorAlertFacts } from '../../domain/response/actionContract';
import { assessIsolation, type IsolationEvidence } from '../../domain/response/isolationScore';
import { hostNamesMatch } from '../../domain/response/targetIdentity';
import type { Severity } from '../../domain/severity';
import type { IsolationReasoning } from '../../domain/response/playbookRun';
import { localWork } from '../activityProfiles';
import type { AlertRecord } from '../alertRecord';
import { fetchVendorAlert } from '../playbook/vendorActivities';
import type { ResponseRuns } from './responseRuns';

const { countCorroboratingAlerts, takeAutomaticIsolation } = proxyActivities<AlertActivities>(localWork);

const CORROBORATION_WINDOW_MS = 24 * 3_600_000;
/** Alerts recorded before this patch scored the alert body; newer ones score only what the vendor confirms. */
const VERIFIED_SCORE_PATCH = 'verified-isolation-score';
/** Alerts recorded before this patch isolated without a budget; newer ones draw from the tenant's hourly budget. */
const HOURLY_BUDGET_PATCH = 'ai-isolation-hourly-budget';
const DEFAULT_MAX_PER_HOUR = 3;
const GRAPH_SEVERITY: Record<string, Severity> = { high: 'high', medium: 'medium', low: 'low', informational: 'low' };

export async function considerAutomaticIsolation(alert: AlertRecord, runs: ResponseRuns): Promise<void> {
  const terms = alert.input.tenant.response.aiIsolation;
  const hosts = alert.input.alert.entities.hosts;
  if (!terms || hosts.length === 0) return;
  const hostnames = hosts.map((h) => h.hostname.toLowerCase());
  if (patched(VERIFIED_SCORE_PATCH)) {
    const evidence = await verifiedEvidence(alert, hostnames);
    if (typeof evidence === 'string') {
      alert.record('ai_assessed', 'system:ai-isolation', timelineText('unverifiedIsolation', { evidence }));
      return;
    }
    await decide(alert, runs, evidence);
    return;
  }
  const since = new Date(Date.now() - CORROBORATION_WINDOW_MS).toISOString();
  const corroboratingAlerts = await countCorroboratingAlerts({ tenantId: alert.status.tenantId, alertId: alert.status.alertId, hostnames, since });
  const vendor = vendorFacts(alert.input.alert.raw);
  await decide(alert, runs, {
    severity: alert.severity,
    ...(alert.input.alert.vendorSeverity ? { vendorSeverity: alert.input.alert.vendorSeverity } : {}),
    ...vendor,
    techniques: alert.input.alert.techniques,
    matchedRuleLevels: alert.status.classification?.matchedRules.map((r) => r.level) ?? [],
    corroboratingAlerts,
    hosts: hosts.length,
  });
}

/**
 * The evidence the vendor confirms, or why there is none: the alert is fetched from Graph by its id, every host it
 * names must be a device in that alert's evidence, and only the vendor's severity, verdict, detection source and
 * techniques count. Detection-rule levels and corroborating alerts come from alert bodies the engine cannot verify
 * (an ingest key writes them), so they do not count here.
 */
async function verifiedEvidence(alert: AlertRecord, hostnames: string[]): Promise<IsolationEvidence | string> {
  const { tenantId } = alert.status;
  const { externalId } = alert.input.alert;
  let facts: VendorAlertFacts | null;
  try {
    facts = await fetchVendorAlert({ tenantId, externalId });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    return `the alert ${externalId} could not be fetched from Microsoft Graph to verify it (${error.cause?.message ?? error.message})`;
  }
  if (!facts) return `Microsoft Graph knows no alert ${externalId}: its body is unverified`;
  const unconfirmed = hostnames.filter((h) => !facts.deviceNames.some((device) => hostNamesMatch(h, device)));
  if (unconfirmed.length > 0) return `the vendor's alert does not name ${unconfirmed.join(', ')} among its devices (${facts.deviceNames.join(', ') || 'none'})`;
  const vendorSeverity = GRAPH_SEVERITY[facts.severity];
  return {
    severity: vendorSeverity ?? 'medium',
    ...(vendorSeverity === 'high' ? { vendorSeverity: 'high' as const } : {}),
    ...(facts.verdict ? { vendorVerdict: facts.verdict } : {}),
    ...(facts.detectionSource ? { detectionSource: facts.detectionSource } : {}),
    techniques: facts.techniques,
    matchedRuleLevels: [],
    corroboratingAlerts: 0,
    hosts: hostnames.length,
  };
}

async function decide(alert: AlertRecord, runs: ResponseRuns, evidence: IsolationEvidence): Promise<void> {
  const terms = alert.input.tenant.response.aiIsolation;
  if (!terms) return;
  const assessment = assessIsolation(evidence, terms.confidenceThreshold);
  const reasoning: IsolationReasoning = {
    model: assessment.model,
    confidence: assessment.confidence,
    threshold: terms.confidenceThreshold,
    reasons: assessment.reasons,
  };
  // The budget is asked before anything is recorded, so the trail and the run appear together.
  let outcome = assessment.isolate ? 'isolating automatically' : 'no automatic isolation';
  if (assessment.isolate && patched(HOURLY_BUDGET_PATCH)) {
    const maxPerHour = terms.maxPerHour ?? DEFAULT_MAX_PER_HOUR;
    const budget = await takeAutomaticIsolation({ tenantId: alert.status.tenantId, maxPerHour });
    if (!budget.granted) outcome = `no automatic isolation: the tenant's ${maxPerHour} automatic isolations of this hour are used up, a human decides`;
  }
  alert.record(
    'ai_assessed',
    `system:${assessment.model}`,
    `Isolation confidence ${assessment.confidence} (threshold ${terms.confidenceThreshold}): ${outcome}. ${assessment.reasons.join('; ')}`,
  );
  if (outcome === 'isolating automatically') await runs.start(terms.playbook, 'ai_isolation', 'system:ai-isolation', reasoning);
}

/** What the vendor said, read from its original record where it has these fields (Graph alerts_v2). */
function vendorFacts(raw: unknown): { vendorVerdict?: string; detectionSource?: string } {
  if (raw === null || typeof raw !== 'object') return {};
  const text = (key: string): string | undefined => {
    const value: unknown = Reflect.get(raw, key);
    return typeof value === 'string' && value !== 'unknown' ? value : undefined;
  };
  const verdict = text('determination') ?? text('classification');
  const source = text('detectionSource');
  return { ...(verdict ? { vendorVerdict: verdict } : {}), ...(source ? { detectionSource: source } : {}) };
}
