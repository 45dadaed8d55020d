/** Package 1's analysis and publication as a worker of a test runs them: no rule matches, publication names its tier file; each call is noted in `calls`. */
import type { AlertActivities } from '../../activities';

export function pipelineStubs(calls: string[], ruleSetVersion: string): Pick<AlertActivities, 'analyseAlert' | 'publishAlert'> {
  return {
    analyseAlert: async () => {
      calls.push('analyseAlert');
      return { matchedRules: [], ruleSetVersion };
    },
    publishAlert: async ({ status }) => {
      calls.push('publishAlert');
      return { publishedAt: new Date().toISOString(), dashboard: true, file: `${status.tenantId}/alerts-${status.classification?.severity ?? 'none'}.jsonl` };
    },
  };
}
