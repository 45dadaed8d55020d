/**
 * An analysed alert's classification (R2) with the timeline entries that explain it: the rules that matched (or none),
 * the rules that raised an incident from its events, and on what basis the severity was decided. Pure: the alert
 * workflow records these entries itself, and package 1's one-step activity (activities/package1) computes the same
 * and hands them back to the workflow to record (docs/performance.md).
 */
import type { Classification, MatchedRule, TimelineKind } from './alertLifecycle';
import type { EventDetection } from './correlation';
import { classifyAlert, incidentRules } from './classification';
import { timelineText, type TimelineText } from './i18n/timelineText';
import type { VendorSeverity } from './severity';

/** What the detection rules found in the alert itself. */
export interface AlertAnalysis {
  matchedRules: MatchedRule[];
  ruleSetVersion: string;
}

/** A timeline entry to record, without its time (the recorder's clock gives that). */
export interface ClassificationStep {
  kind: Extract<TimelineKind, 'analysed' | 'classified'>;
  actor: string;
  detail: { detail: string; text: TimelineText };
}

export function classifyAnalysedAlert(input: {
  analysis: AlertAnalysis;
  /** The rules that matched the raw events of a correlated incident. */
  eventDetection: EventDetection | undefined;
  vendorSeverity: VendorSeverity | undefined;
  /** The alert's source, named as the actor of a vendor's classification. */
  source: string;
}): { classification: Classification; steps: ClassificationStep[] } {
  const { analysis, eventDetection, vendorSeverity, source } = input;
  const steps: ClassificationStep[] = [
    {
      kind: 'analysed',
      actor: 'system',
      detail:
        analysis.matchedRules.length === 0
          ? timelineText('noRuleMatched', { ruleSet: analysis.ruleSetVersion })
          : timelineText('rulesMatched', { count: analysis.matchedRules.length, titles: analysis.matchedRules.map((r) => r.title).join('; ') }),
    },
  ];
  // Rules that matched the raw events come first: they are why this incident exists (R2).
  const eventRules = eventDetection?.matchedRules ?? [];
  if (eventRules.length > 0) {
    steps.push({ kind: 'analysed', actor: 'system', detail: timelineText('raisedFromEvents', { titles: eventRules.map((r) => r.title).join('; '), ruleSet: String(eventDetection?.ruleSetVersion) }) });
  }
  const classification = classifyAlert({ matchedRules: incidentRules(eventRules, analysis.matchedRules), vendorSeverity, ruleSetVersion: analysis.ruleSetVersion });
  const basis = classification.decidedBy;
  const actor = basis.kind === 'rule' ? `rule:${basis.ruleId}` : basis.kind === 'vendor' ? `vendor:${source}` : 'system';
  const { severity } = classification;
  const why =
    basis.kind === 'rule'
      ? timelineText('classifiedByRule', { severity, rule: basis.ruleTitle })
      : basis.kind === 'vendor'
        ? timelineText('classifiedByVendor', { severity, vendorSeverity: basis.vendorSeverity })
        : timelineText('classifiedByDefault', { severity });
  steps.push({ kind: 'classified', actor, detail: why });
  return { classification, steps };
}
