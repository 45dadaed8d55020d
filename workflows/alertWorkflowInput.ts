/** What intake hands an alert workflow: the validated alert and the tenant's terms at that moment. */
import type { NormalisedAlert } from '../domain/alert';
import type { TenantPolicy } from '../domain/tenantPolicy';

export interface AlertWorkflowInput {
  alertId: string;
  alert: NormalisedAlert;
  tenant: TenantPolicy;
  /** The Sigma logsource product of the alert's registered source. */
  sourceProduct: string;
  receivedAt: string;
}
