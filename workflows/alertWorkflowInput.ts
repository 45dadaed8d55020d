/** What intake hands an alert workflow: the validated alert and the tenant's terms at that moment. */
import type { NormalisedAlert } from '../domain/alert';
import type { TenantPolicy } from '../domain/tenantPolicy';
import type { CorrelationKey, EventDetection } from '../domain/correlation';
import type { TrustedCallerKeys } from '../domain/callerAssertion';
import type { WebhookTarget } from '../domain/webhooks/webhookTargets';

export interface AlertWorkflowInput {
  alertId: string;
  alert: NormalisedAlert;
  tenant: TenantPolicy;
  /** The Sigma logsource product of the alert's registered source. */
  sourceProduct: string;
  receivedAt: string;
  /** Set for an incident correlated from event hits (POST /v1/events, syslog); absent for alerts sent as alerts. */
  correlation?: CorrelationKey;
  /** The rules that matched the events, classifying the incident together with the alert-level analysis (R2). */
  eventDetection?: EventDetection;
  /** The public keys whose signed caller assertions this alert's Updates need (workflows/signedCaller.ts); absent in older inputs. */
  callerKeys?: TrustedCallerKeys;
  /**
   * The tenant's and the SOC's webhook targets at intake (ids and event filters, no address or secret); absent in older
   * inputs and where intake does not know them, and then the workflow looks them up in a local activity.
   */
  webhookTargets?: WebhookTarget[];
}
