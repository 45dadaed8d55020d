/**
 * Safe deploys with Worker Versioning on a real Temporal server: two builds of the alert worker serve one task queue
 * as versions of one worker deployment. `npm run promote-build` makes a build current; an alert pinned to the build it
 * started on stays there (and is still served) after the next build became current, while new alerts start on the new
 * build.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { runScript } from '../support/runScript';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';
import { PlaybookHarness, quietDeviceAlert } from '../playbooks/playbookHarness';
import { join } from 'node:path';

const deploymentName = `soar-test-${randomUUID().slice(0, 8)}`;
let first: TestEngine;
let second: TestEngine | undefined;
const harness = new PlaybookHarness(() => first);

beforeAll(async () => {
  first = await startTestEngine({ ownNamespace: true, rulesDir: join(REPO, 'test/fixtures/rules'), workerDeployment: { deploymentName, buildId: 'build-1' } });
});
afterAll(async () => {
  await second?.stop();
  await first?.stop();
});

/** Makes `buildId` current; the server knows a version only once its workers polled, so a refusal is retried. */
async function promote(buildId: string): Promise<string> {
  const env = {
    NODE_ENV: 'test',
    TEMPORAL_ADDRESS: testTemporal().address,
    TEMPORAL_NAMESPACE: first.client.options.namespace,
    SOAR_WORKER_DEPLOYMENT_NAME: deploymentName,
    SOAR_WORKER_BUILD_ID: buildId,
  };
  const outcome = await waitFor(() => runScript('scripts/promote-build.ts', [], env), (o) => o.code === 0, `build ${buildId} to become current`, 60_000);
  return outcome.stdout;
}

async function pinnedBuild(handle: WorkflowHandle): Promise<{ behavior: unknown; buildId: string | null | undefined }> {
  const info = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
  return { behavior: info?.behavior, buildId: info?.deploymentVersion?.buildId };
}

test('an alert pinned to build-1 stays on build-1 and keeps being served after build-2 became current; new alerts start on build-2', async () => {
  expect(await promote('build-1')).toContain(`${deploymentName} build build-1 is now the current version`);
  const waiting = await harness.submit(quietDeviceAlert(`versioning-${randomUUID()}`));
  await harness.untilAwaitingTriage(waiting);
  const PINNED = 1; // temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED
  expect(await pinnedBuild(first.client.workflow.getHandle(waiting))).toEqual({ behavior: PINNED, buildId: 'build-1' });

  second = await startTestEngine({
    temporal: { address: testTemporal().address, namespace: first.client.options.namespace },
    taskQueue: first.taskQueue,
    rulesDir: join(REPO, 'test/fixtures/rules'),
    workerDeployment: { deploymentName, buildId: 'build-2' },
  });
  await promote('build-2');
  const fresh = await harness.submit(quietDeviceAlert(`versioning-${randomUUID()}`));
  await harness.untilAwaitingTriage(fresh);
  expect(await pinnedBuild(first.client.workflow.getHandle(fresh))).toEqual({ behavior: PINNED, buildId: 'build-2' });

  // The long-waiting alert goes on, on the code it started with.
  const claimed = await harness.act(waiting, 'claim', {});
  expect(claimed.status).toBe(200);
  expect(claimed.body.triage.assignedAnalyst).toBe('dev-analyst');
  expect(await pinnedBuild(first.client.workflow.getHandle(waiting))).toEqual({ behavior: PINNED, buildId: 'build-1' });
  // docs/audit.md step 4: the query that says when the old build's workers may stop.
  const query = (build: string) => `TemporalWorkerDeploymentVersion='${deploymentName}:${build}' AND ExecutionStatus='Running'`;
  await waitFor(() => first.client.workflow.count(query('build-1')), (c) => c.count === 1, 'build-1 to count its one open alert');
  await waitFor(() => first.client.workflow.count(query('build-2')), (c) => c.count === 1, 'build-2 to count its one open alert');
}, 240_000);

test('a worker build id without its deployment name is refused at start, naming the missing variable', async () => {
  const refused = await runScript('scripts/promote-build.ts', [], { NODE_ENV: 'test', TEMPORAL_ADDRESS: testTemporal().address, SOAR_WORKER_BUILD_ID: 'build-3' });
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('SOAR_WORKER_DEPLOYMENT_NAME');
});
