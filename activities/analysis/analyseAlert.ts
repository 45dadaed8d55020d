/** Automated analysis (R3): runs the predefined detection rules over an alert and reports what matched. */
import type { NormalisedAlert } from '../../domain/alert';
import type { AlertAnalysis } from '../../domain/analysedAlertClassification';
import { alertFields } from '../../detection/alertFields';
import type { DetectionRules } from '../../detection/detectionRules';

export interface AnalysisDeps {
  detection: DetectionRules;
}

/** The rules that matched and the rule set's version (domain/analysedAlertClassification.ts classifies from it). */
export type AnalysisResult = AlertAnalysis;

/** Bounds what goes into history: an alert that matches many rules keeps the most severe ones. */
const MAX_RECORDED_MATCHES = 20;

export function createAnalysisActivities({ detection }: AnalysisDeps) {
  return {
    async analyseAlert({ alert, product }: { alert: NormalisedAlert; product: string }): Promise<AnalysisResult> {
      const matches = detection.ruleSet.evaluate(alertFields(alert), { product, category: 'alert' });
      return {
        matchedRules: matches.slice(0, MAX_RECORDED_MATCHES).map((m) => ({ ruleId: m.ruleId, title: m.title, level: m.level })),
        ruleSetVersion: detection.version,
      };
    },
  };
}
