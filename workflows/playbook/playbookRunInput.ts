/** What an alert hands a playbook run: the definition that runs, the tenant's terms and what the alert knows. */
import type { NormalisedAlert } from '../../domain/alert';
import type { PlaybookDefinition } from '../../domain/playbook/playbookDefinition';
import type { IsolationReasoning, PlaybookRunStatus, RunMode } from '../../domain/response/playbookRun';
import type { Severity } from '../../domain/severity';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import type { TrustedCallerKeys } from '../../domain/callerAssertion';

export interface PlaybookRunInput {
  runId: string;
  alertId: string;
  /** The alert workflow: told of every state change. */
  parentWorkflowId: string;
  tenant: TenantPolicy;
  alert: Pick<NormalisedAlert, 'source' | 'externalId' | 'title' | 'entities'>;
  severity: Severity;
  playbook: PlaybookDefinition;
  trigger: PlaybookRunStatus['trigger'];
  /** `analyst:<id>` or `system:ai-isolation`. */
  startedBy: string;
  /** R11: set for an automatic isolation; it stands in for an analyst's approval, recorded as such. */
  isolation: IsolationReasoning | null;
  /** R10: the customer's billable work order for measures on this alert (absent in older inputs). */
  customerOrder?: string | null;
  /** Absent: live. A dry-run stops before every vendor change and tells only the SOC, with a test notice. */
  mode?: RunMode;
  /** The alert's trusted caller keys: approvals and undo need a signed caller (workflows/signedCaller.ts); absent in older inputs. */
  callerKeys?: TrustedCallerKeys;
  /** A shadow run (always a dry-run): the run id of the live run it runs beside. */
  shadowOf?: string;
}
