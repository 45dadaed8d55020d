/** Billable work orders (R3, R7, R10): work the contract does not include is recorded to be billed by the hour, never done silently. */
import { z } from 'zod';
import type { Severity } from './severity';
import type { TenantPackage } from './tenantPolicy';

export interface WorkOrderRequest {
  workOrderId: string;
  tenantId: string;
  alertId: string | null;
  requestedBy: string;
  requestedAt: string;
  description: string;
}

export interface BillableWorkOrder extends WorkOrderRequest {
  /** Why this is billable: the rule that puts it outside the booked package. */
  reason: string;
}

/**
 * Why a requested measure or manual handling is billable for this tenant and alert, following the booked package and
 * options; null when the booked options include it (R11 `allSeverities` on package 2 or 3: every severity is handled).
 */
export function billingReason(pkg: TenantPackage, severity: Severity | null, options: { allSeverities: boolean }): string | null {
  if (pkg === 1) return 'R3: package 1 includes no incident handling; ordered separately, billed by the hour';
  if (severity !== null && severity !== 'critical') {
    if (options.allSeverities) return null;
    return `R7: measures on a ${severity} alert are not included; billed by the hour`;
  }
  return 'Measure requested outside the included response (R8-R10); billed by the hour';
}

/** A recorded work order, as the API shows it and as its workflow's memo holds it. */
export const billableWorkOrderSchema = z.object({
  workOrderId: z.string(),
  tenantId: z.string(),
  alertId: z.string().nullable(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  description: z.string(),
  reason: z.string(),
});
