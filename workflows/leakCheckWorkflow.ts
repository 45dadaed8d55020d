/**
 * The weekly credential-leak check of one tenant (R4), started by its Temporal Schedule: ask the breach provider about
 * the tenant's main e-mail domain, keep what is new, and report only new compromised addresses to the tenant's contacts
 * (the dashboard reads the stored findings).
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { AlertActivities } from '../activities';
import type { LeakFinding } from '../stores/tenantLedger';
import { localWork, vendorRequest } from './activityProfiles';
import { mailEach } from './mailEach';
import { vendorCallOptions } from './playbook/vendorActivities';
import { leakCheckMessage } from '../domain/i18n/customerMessages';
import { languageOf, type Language } from '../domain/i18n/language';

const { recordLeakFindings } = proxyActivities<AlertActivities>(localWork);

export interface LeakCheckInput {
  tenantId: string;
  domain: string;
  /** E-mail addresses of the tenant's contacts told about new findings. */
  recipients: string[];
  /** The tenant's language; absent in schedules made before tenants named one (German then). */
  language?: Language;
}

export interface LeakCheckReport {
  tenantId: string;
  domain: string;
  /** (address, breach) pairs the provider knows. */
  found: number;
  /** Those never reported before: the ones in this run's e-mail. */
  newFindings: LeakFinding[];
  notified: string[];
}

export async function leakCheckWorkflow(input: LeakCheckInput): Promise<LeakCheckReport> {
  // On the Have I Been Pwned queue (its rate limit), fair between tenants.
  const { checkBreachedDomain } = proxyActivities<AlertActivities>(vendorCallOptions(vendorRequest, 'hibp', input.tenantId));
  const findings = await checkBreachedDomain({ tenantId: input.tenantId, domain: input.domain });
  const newFindings = await recordLeakFindings({ tenantId: input.tenantId, findings });
  const notified = newFindings.length > 0 ? await reportNewFindings(input, newFindings) : [];
  return { tenantId: input.tenantId, domain: input.domain, found: findings.length, newFindings, notified };
}

async function reportNewFindings(input: LeakCheckInput, findings: LeakFinding[]): Promise<string[]> {
  const runId = workflowInfo().workflowId;
  await mailEach(input.recipients, leakCheckMessage(languageOf(input.language), { domain: input.domain, findings }), { tenantId: input.tenantId, idempotencyKey: (to) => `${runId}.${to}` });
  return input.recipients;
}
