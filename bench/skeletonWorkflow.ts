/** The baseline: a workflow with the same number of activity calls as the alert pipeline, each doing nothing. */
import { proxyActivities } from '@temporalio/workflow';
import { localWork } from '../workflows/activityProfiles';

export interface NoopActivities {
  noopAnalyse(input: { externalId: string }): Promise<string>;
  noopPublish(input: { externalId: string }): Promise<string>;
}

const { noopAnalyse, noopPublish } = proxyActivities<NoopActivities>(localWork);

export async function skeletonWorkflow(input: { externalId: string }): Promise<string> {
  await noopAnalyse(input);
  return noopPublish(input);
}
