/**
 * Package 1's analysis and publication as a worker of a test runs them: no rule matches, publication names its tier
 * file; each call is noted in `calls`. The one-step activity is the real composition of these two (activities/package1).
 */
import type { AlertActivities } from '../../activities';
import { createPackage1Activities } from '../../activities/package1/analyseClassifyPublish';

type PipelineStubs = Pick<AlertActivities, 'analyseAlert' | 'publishAlert' | 'analyseClassifyPublish'>;

export function pipelineStubs(calls: string[], ruleSetVersion: string): PipelineStubs {
  const parts: Pick<AlertActivities, 'analyseAlert' | 'publishAlert'> = {
    analyseAlert: async () => {
      calls.push('analyseAlert');
      return { matchedRules: [], ruleSetVersion };
    },
    publishAlert: async ({ status }) => {
      calls.push('publishAlert');
      return { publishedAt: new Date().toISOString(), dashboard: true, file: `${status.tenantId}/alerts-${status.classification?.severity ?? 'none'}.jsonl` };
    },
  };
  const { analyseClassifyPublish } = createPackage1Activities({ ...parts, now: () => new Date() });
  return {
    ...parts,
    analyseClassifyPublish: async (input) => {
      calls.push('analyseClassifyPublish');
      return analyseClassifyPublish(input);
    },
  };
}
