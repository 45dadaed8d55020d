/** Publishes a classified alert to the tenant's dashboard read model and its tiered file output (R3). */
import type { AlertStatus, Publication } from '../../domain/alertLifecycle';
import type { BillableWorkOrder } from '../../domain/workOrder';
import type { AlertReadModel } from '../../stores/alertReadModel';
import type { WorkOrderStore } from '../../stores/workOrderStore';
import { tierFile, type TieredFileOutput } from './tieredFileOutput';
import { observeIntakeToClassification, observeServiceFigures } from '../metrics';

export interface PublicationDeps {
  readModel: AlertReadModel;
  workOrders: WorkOrderStore;
  fileOutput: TieredFileOutput;
  now: () => Date;
}

export function createPublicationActivities({ readModel, workOrders, fileOutput, now }: PublicationDeps) {
  return {
    /**
     * Idempotent on retry: a row already in the read model means the line was written, so it is not
     * appended again. Only a crash between the append and the row can repeat a line; each line carries
     * the alertId for consumers to de-duplicate.
     */
    async publishAlert({ status, hostnames = [] }: { status: AlertStatus; hostnames?: string[] }): Promise<Publication> {
      const already = await readModel.find(status.alertId);
      if (already) {
        return { publishedAt: already.publishedAt, dashboard: true, file: tierFile(status.tenantId, already.severity) };
      }
      const publishedAt = now().toISOString();
      const file = await fileOutput.append(status, publishedAt);
      await readModel.upsert(status, publishedAt, hostnames);
      if (status.classification) observeIntakeToClassification(status.tenantId, status.receivedAt, new Date(publishedAt));
      return { publishedAt, dashboard: true, file };
    },

    /** Idempotent: sets the dashboard row to the alert's current state. */
    async refreshDashboard({ status }: { status: AlertStatus }): Promise<void> {
      await readModel.refresh(status);
      if (status.state === 'closed') observeServiceFigures(status);
    },

    /** R11: how many other alerts of the tenant named one of these hosts within the window. */
    async countCorroboratingAlerts(input: { tenantId: string; alertId: string; hostnames: string[]; since: string }): Promise<number> {
      return readModel.countAlertsOnHosts(input.tenantId, input.hostnames, input.since, input.alertId);
    },

    async recordWorkOrder(order: BillableWorkOrder): Promise<void> {
      await workOrders.record(order);
    },
  };
}
