/** A test workflow that makes vendor calls through the playbooks' own routing (`vendorActivity`, `lookUpTarget`). */
import { actionSpec } from '../../../domain/response/actionCatalog';
import { lookUpTarget, vendorActivity } from '../../../workflows/playbook/vendorActivities';

export interface VendorCallsInput {
  tenantId: string;
  /** Defender machine look-ups by name, all scheduled at once. */
  calls: number;
  /** One Graph look-up of a user as well. */
  lookUpUser?: boolean;
}

export async function vendorCallsWorkflow({ tenantId, calls, lookUpUser }: VendorCallsInput): Promise<void> {
  const findMachine = vendorActivity(actionSpec('defender.findMachine'));
  const requests = Array.from({ length: calls }, (_, index) =>
    findMachine({
      tenantId,
      alertId: `alert.${tenantId}.test`,
      requestKey: `call-${index}`,
      action: 'defender.findMachine',
      target: { kind: 'host', hostname: `ws-${index}.example` },
      subject: null,
      params: {},
      comment: 'test',
    }),
  );
  if (lookUpUser) requests.push(lookUpTarget({ tenantId, target: { kind: 'user', upn: 'someone@example.com' } }).then(() => ({ outcome: 'done', detail: '', vendorReference: null, outputs: {} })));
  await Promise.all(requests);
}
