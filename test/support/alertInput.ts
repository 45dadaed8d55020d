/** An alert workflow's input as intake builds it, for tests and benchmarks that start alert workflows directly on a task queue of their own. */
import { join } from 'node:path';
import { normalisedAlertSchema, type NormalisedAlertInput } from '../../domain/alert';
import { loadPlaybookDirectory } from '../../infra/files/playbookFiles';
import { loadOnCallDirectory } from '../../infra/files/onCallFile';
import { policyOf } from '../../domain/tenant/tenantPolicyOf';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import type { AlertWorkflowInput } from '../../workflows/alertWorkflow';
import { REPO } from './testEnv';

/** `alertId` doubles as the workflow id the caller starts it with. */
export function alertWorkflowInput(alertId: string, alert: NormalisedAlertInput, adjust: (policy: TenantPolicy) => TenantPolicy = (p) => p): AlertWorkflowInput {
  const tenant = loadTenantDirectory(join(REPO, 'config/tenants')).get(alert.tenantId);
  if (!tenant) throw new Error(`no sample tenant '${alert.tenantId}' in config/tenants`);
  const source = tenant.sources.find((s) => s.id === alert.source);
  if (!source) throw new Error(`tenant '${tenant.id}' has no source '${alert.source}'`);
  const policy = policyOf(tenant, loadOnCallDirectory(join(REPO, 'config/soc/oncall.yaml')), loadPlaybookDirectory(join(REPO, 'playbooks')));
  return { alertId, alert: normalisedAlertSchema.parse(alert), tenant: adjust(policy), sourceProduct: source.product, receivedAt: new Date().toISOString() };
}
