/**
 * R11 AI-assisted endpoint isolation: a transparent score judges whether the threat is clearly recognised; at or
 * above the tenant's threshold the isolation playbook starts by itself, still through the release matrix and the
 * customer notice before the measure. The reasoning is recorded either way. An aid, never a guarantee.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../../activities';
import { assessIsolation } from '../../domain/response/isolationScore';
import type { IsolationReasoning } from '../../domain/response/playbookRun';
import { localWork } from '../activityProfiles';
import type { AlertRecord } from '../alertRecord';
import type { ResponseRuns } from './responseRuns';

const { countCorroboratingAlerts } = proxyActivities<AlertActivities>(localWork);

const CORROBORATION_WINDOW_MS = 24 * 3_600_000;

export async function considerAutomaticIsolation(alert: AlertRecord, runs: ResponseRuns): Promise<void> {
  const terms = alert.input.tenant.response.aiIsolation;
  const hosts = alert.input.alert.entities.hosts;
  if (!terms || hosts.length === 0) return;
  const hostnames = hosts.map((h) => h.hostname.toLowerCase());
  const since = new Date(Date.now() - CORROBORATION_WINDOW_MS).toISOString();
  const corroboratingAlerts = await countCorroboratingAlerts({ tenantId: alert.status.tenantId, alertId: alert.status.alertId, hostnames, since });
  const vendor = vendorFacts(alert.input.alert.raw);
  const assessment = assessIsolation(
    {
      severity: alert.severity,
      ...(alert.input.alert.vendorSeverity ? { vendorSeverity: alert.input.alert.vendorSeverity } : {}),
      ...vendor,
      techniques: alert.input.alert.techniques,
      matchedRuleLevels: alert.status.classification?.matchedRules.map((r) => r.level) ?? [],
      corroboratingAlerts,
      hosts: hosts.length,
    },
    terms.confidenceThreshold,
  );
  const reasoning: IsolationReasoning = {
    model: assessment.model,
    confidence: assessment.confidence,
    threshold: terms.confidenceThreshold,
    reasons: assessment.reasons,
  };
  alert.record(
    'ai_assessed',
    `system:${assessment.model}`,
    `Isolation confidence ${assessment.confidence} (threshold ${terms.confidenceThreshold}): ${assessment.isolate ? 'isolating automatically' : 'no automatic isolation'}. ${assessment.reasons.join('; ')}`,
  );
  if (assessment.isolate) await runs.start(terms.playbook, 'ai_isolation', 'system:ai-isolation', reasoning);
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
