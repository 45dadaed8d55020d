/** An alert as visibility lists it: search attributes and memo, without a Query. */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import { ALERT_STATES, type AlertState } from '../../domain/alertLifecycle';
import { ALERT_SOURCE, ALERT_STATE, SEVERITY, TENANT_ID } from '../../domain/searchAttributes';
import type { Severity } from '../../domain/severity';
import { severitySchema } from '../../domain/severitySchema';

const alertStateSchema = z.enum(ALERT_STATES);

export interface AlertSummary {
  alertId: string;
  tenantId: string;
  source: string;
  title: string;
  severity: Severity | null;
  state: AlertState | null;
  receivedAt: string;
  closedAt: string | null;
}

export function summarise(info: WorkflowExecutionInfo): AlertSummary {
  const attrs = info.typedSearchAttributes;
  const memo = info.memo ?? {};
  return {
    alertId: info.workflowId,
    tenantId: attrs.get(TENANT_ID) ?? '',
    source: attrs.get(ALERT_SOURCE) ?? '',
    title: typeof memo.title === 'string' ? memo.title : '',
    severity: severitySchema.safeParse(attrs.get(SEVERITY)).data ?? null,
    state: alertStateSchema.safeParse(attrs.get(ALERT_STATE)).data ?? null,
    receivedAt: info.startTime.toISOString(),
    closedAt: info.closeTime ? info.closeTime.toISOString() : null,
  };
}
