/** The detection rule set the analysis runs, with a version that names its exact content for the audit trail. */
import { createHash } from 'node:crypto';
import { loadRuleSet, type RuleSet } from './sigma/ruleSet';

export interface DetectionRules {
  ruleSet: RuleSet;
  /** Short digest over every rule's id, level, logsource and text: which rules decided is recorded with this version. */
  version: string;
}

export function loadDetectionRules(dir: string): DetectionRules {
  const ruleSet = loadRuleSet(dir);
  return { ruleSet, version: versionOf(ruleSet) };
}

export function versionOf(ruleSet: RuleSet): string {
  const hash = createHash('sha256');
  for (const rule of ruleSet.rules) hash.update(JSON.stringify(rule)).update('\n');
  hash.update(ruleSet.contentDigest);
  return hash.digest('hex').slice(0, 12);
}
