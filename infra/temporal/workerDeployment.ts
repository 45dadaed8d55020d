/**
 * Worker Versioning (server 1.28+): makes a build the current version of the worker deployment, so new workflows start
 * on it while workflows pinned to an earlier build keep running on that build's workers until they finish.
 */
import type { Connection } from '@temporalio/client';

export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

export async function setCurrentVersion(connection: Connection, namespace: string, version: DeploymentVersion, identity: string): Promise<void> {
  await connection.workflowService.setWorkerDeploymentCurrentVersion({ namespace, deploymentName: version.deploymentName, buildId: version.buildId, identity });
}
