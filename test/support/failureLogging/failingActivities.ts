/** The activity of the log-redaction test: fails the way a vendor adapter does, naming the account and the host. */
import { ApplicationFailure } from '@temporalio/common';

export const failingActivities = {
  async lookUpAccount(upn: string, host: string): Promise<never> {
    throw ApplicationFailure.retryable(`Graph GET /users/${upn}: 503 while ${host} was being isolated`, 'VendorUnavailable');
  },
};

export type FailingActivities = typeof failingActivities;
