/** Classifies an alert into the contract's four severities (R2): detection rules first, the vendor's severity as fallback. */
import type { ClassificationBasis, Classification, MatchedRule } from './alertLifecycle';
import { severityOfSigmaLevel } from './sigmaLevel';
import { maxSeverity, type Severity, type VendorSeverity } from './severity';

/** `unknown` says nothing about urgency, so it does not decide: the default applies. */
function severityOfVendor(vendorSeverity: VendorSeverity): Severity | null {
  if (vendorSeverity === 'unknown') return null;
  return vendorSeverity === 'informational' ? 'low' : vendorSeverity;
}

/**
 * No rule and no usable vendor severity: `medium` (timely review), never `low`, so that an alert
 * the rules do not know is not waved through.
 */
export const DEFAULT_SEVERITY: Severity = 'medium';

export function classifyAlert(input: {
  matchedRules: MatchedRule[];
  vendorSeverity: VendorSeverity | undefined;
  ruleSetVersion: string;
}): Classification {
  const { matchedRules, vendorSeverity, ruleSetVersion } = input;
  let decided: { severity: Severity; basis: ClassificationBasis } | null = null;
  for (const rule of matchedRules) {
    const severity = severityOfSigmaLevel(rule.level);
    if (!decided || maxSeverity(decided.severity, severity) !== decided.severity) {
      decided = { severity, basis: { kind: 'rule', ruleId: rule.ruleId, ruleTitle: rule.title } };
    }
  }
  if (!decided && vendorSeverity) {
    const severity = severityOfVendor(vendorSeverity);
    if (severity) decided = { severity, basis: { kind: 'vendor', vendorSeverity } };
  }
  decided ??= {
    severity: DEFAULT_SEVERITY,
    basis: { kind: 'default', reason: 'no detection rule matched and the vendor gave no usable severity' },
  };
  return { severity: decided.severity, decidedBy: decided.basis, matchedRules, ruleSetVersion };
}

/** An incident's rules: those that matched its raw events first (why it exists, R2), then the alert-level ones not among them. */
export function incidentRules(eventRules: readonly MatchedRule[], alertRules: readonly MatchedRule[]): MatchedRule[] {
  return eventRules.length === 0 ? [...alertRules] : [...eventRules, ...alertRules.filter((r) => !eventRules.some((e) => e.ruleId === r.ruleId))];
}
