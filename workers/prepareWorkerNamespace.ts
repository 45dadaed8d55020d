/** Sets up the namespace and the schedules before a worker runs (npm start and the production worker alike). */
import { graphPullBlockedReason } from '../activities/intake/graphIntakeActivities';
import type { TenantCatalog } from '../domain/tenant/tenantCatalog';
import type { PayloadKeyring } from '../infra/crypto/payloadKeys';
import { secretResolverFromEnvironment, type EngineConfig } from '../infra/config';
import { prepareEngineNamespace } from '../infra/temporal/engineNamespace';
import { connectionOptionsOf } from '../infra/temporal/connectionOptions';
import { TenantPayloadCodec } from '../infra/crypto/tenantPayloadCodec';
import { loadOnCallDirectory } from '../infra/files/onCallFile';

export function prepareWorkerNamespace(config: EngineConfig, address: string, { tenants, payloadKeys }: { tenants: TenantCatalog; payloadKeys: PayloadKeyring }): Promise<void> {
  const response = { tenants, secrets: secretResolverFromEnvironment(), endpoints: config.vendorEndpoints };
  return prepareEngineNamespace({
    connection: connectionOptionsOf(config, address),
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    retentionDays: config.temporal.retentionDays,
    tenants: tenants.all(),
    graphPull: { intervalMinutes: config.graphPull.intervalMinutes, blockedReason: graphPullBlockedReason(response) },
    payloadCodec: new TenantPayloadCodec(payloadKeys),
    socManagement: loadOnCallDirectory(config.onCallFile).management.map((m) => m.email),
  });
}
