/** One workflow per billable work order (R3, R7, R10): a durable, auditable record, listed per tenant and month. */
import { proxyActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../activities';
import type { BillableWorkOrder } from '../domain/workOrder';
import { localWork } from './activityProfiles';

const { recordWorkOrder } = proxyActivities<AlertActivities>(localWork);

export async function billableWorkOrderWorkflow(order: BillableWorkOrder): Promise<BillableWorkOrder> {
  await recordWorkOrder(order);
  return order;
}
