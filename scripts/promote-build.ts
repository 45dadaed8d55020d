/**
 * The last step of a safe deploy (docs/audit.md): after `npm run deploy-check` passed and the new workers (with
 * SOAR_WORKER_DEPLOYMENT_NAME and the new SOAR_WORKER_BUILD_ID) are polling, makes their build the current version.
 * New alerts start on it; alerts pinned to the previous build finish on the previous build's workers.
 *
 *   SOAR_WORKER_DEPLOYMENT_NAME=soar SOAR_WORKER_BUILD_ID=2026-12-04.1 npm run promote-build
 */
import { loadConfig } from '../infra/config';
import { connectClient } from '../infra/temporal/clientConnection';
import { connectionOptionsOf } from '../infra/temporal/connectionOptions';
import { setCurrentVersion } from '../infra/temporal/workerDeployment';

async function main(): Promise<number> {
  const config = loadConfig();
  const { address, namespace } = config.temporal;
  if (!address || !config.workerDeployment) {
    process.stderr.write('promote-build needs TEMPORAL_ADDRESS, SOAR_WORKER_DEPLOYMENT_NAME and SOAR_WORKER_BUILD_ID\n');
    return 2;
  }
  const temporal = await connectClient(connectionOptionsOf(config, address));
  try {
    await setCurrentVersion(temporal.connection, namespace, config.workerDeployment, 'soar-promote-build');
    process.stdout.write(`${config.workerDeployment.deploymentName} build ${config.workerDeployment.buildId} is now the current version in ${namespace}\n`);
    return 0;
  } finally {
    await temporal.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`promote-build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
