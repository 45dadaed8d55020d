/** The baselines: a workflow with the same number of activity calls as the alert pipeline, each doing nothing, and one with none. */
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

/** Bare Temporal: start, one workflow task, complete. What a workflow costs before it does anything. */
export async function noActivityWorkflow(_input: { externalId: string }): Promise<string> {
  return new Date().toISOString();
}
