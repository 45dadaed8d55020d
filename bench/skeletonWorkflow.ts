/** The baselines: workflows with the alert pipeline's two activity calls, each doing nothing (regular and local), and one with none. */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { localPipeline, localWork } from '../workflows/activityProfiles';

export interface NoopActivities {
  noopAnalyse(input: { externalId: string }): Promise<string>;
  noopPublish(input: { externalId: string }): Promise<string>;
}

const { noopAnalyse, noopPublish } = proxyActivities<NoopActivities>(localWork);

export async function skeletonWorkflow(input: { externalId: string }): Promise<string> {
  await noopAnalyse(input);
  return noopPublish(input);
}

const local = proxyLocalActivities<NoopActivities>(localPipeline);

/** The same two no-op calls as local activities, with the package-1 pipeline's local profile. */
export async function localSkeletonWorkflow(input: { externalId: string }): Promise<string> {
  await local.noopAnalyse(input);
  return local.noopPublish(input);
}

/** Bare Temporal: start, one workflow task, complete. What a workflow costs before it does anything. */
export async function noActivityWorkflow(_input: { externalId: string }): Promise<string> {
  return new Date().toISOString();
}
