/**
 * R10 "Maßnahmenumsetzung ... weiterhin kostenpflichtig": in the weekend emergency window measures stay possible once
 * the customer has ordered them, recorded as a billable work order. The order reaches the alert as an Update; an alert
 * already recommended becomes ready for response with it.
 */
import { timelineText } from '../../domain/i18n/timelineText';
import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { AlertActivities } from '../../activities';
import { responseDecision } from '../../domain/response/responsePolicy';
import { localWork } from '../activityProfiles';
import type { AlertRecord } from '../alertRecord';
import { customerOrderUpdate } from '../messages';

const { refreshDashboard } = proxyActivities<AlertActivities>(localWork);

export function registerCustomerOrders(alert: AlertRecord): void {
  setHandler(
    customerOrderUpdate,
    async ({ workOrderId, requestedBy }) => {
      alert.customerOrder = workOrderId;
      alert.record('customer_order', requestedBy, timelineText('customerOrder', { workOrder: workOrderId }));
      if (alert.state === 'in_triage' && alert.status.triage.recommendation !== null) {
        const decision = responseDecision(alert.input.tenant, alert.severity, new Date(), workOrderId);
        if (decision.allowed) {
          alert.enter('ready_for_response');
          alert.record('ready_for_response', requestedBy, timelineText('readyForResponse', { reason: decision.because }));
        }
      }
      await refreshDashboard({ status: { ...alert.status } });
      return alert.status;
    },
    {
      validator: ({ workOrderId }) => {
        if (alert.state === 'closed') throw new Error('The alert is closed');
        if (!workOrderId.startsWith(`workorder.${alert.status.tenantId}.`)) throw new Error(`Work order ${workOrderId} is not one of tenant ${alert.status.tenantId}`);
      },
    },
  );
}
