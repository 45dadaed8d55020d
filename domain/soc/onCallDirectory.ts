/** The SOC's on-call targets (config/soc/oncall.yaml), and how a tenant's escalation chain resolves to addresses (R19). */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { phoneSchema } from '../tenant/contactSchema';
import type { Tenant } from '../tenant/tenantSchema';
import type { PlaybookDefinition } from '../playbook/playbookDefinition';
import type { PolicyEscalationStep, ResponseTerms, TenantPolicy } from '../tenantPolicy';

const directorySchema = z.strictObject({
  targets: z.array(
    z.strictObject({
      id: z.string().min(1).max(64),
      name: z.string().min(1).max(200),
      phone: phoneSchema.optional(),
      email: z.email().optional(),
    }),
  ),
});
export type OnCallDirectory = z.output<typeof directorySchema>;

/** Thrown when the on-call directory or a reference to it is invalid; names the file or tenant. */
export class OnCallConfigError extends Error {
  constructor(readonly where: string, readonly reason: string) {
    super(`${where}: ${reason}`);
  }
}

export function loadOnCallDirectory(file: string): OnCallDirectory {
  const parsed = directorySchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OnCallConfigError(file, `${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const PHONE = /^\+[1-9]\d{6,14}$/;

function resolveTarget(directory: OnCallDirectory, tenantId: string, contact: string, channel: 'sms' | 'voice' | 'email'): string {
  if (channel === 'email' && EMAIL.test(contact)) return contact;
  if (channel !== 'email' && PHONE.test(contact)) return contact;
  const target = directory.targets.find((t) => t.id === contact);
  const address = channel === 'email' ? target?.email : target?.phone;
  if (!address) throw new OnCallConfigError(`tenant ${tenantId}`, `escalation target '${contact}' has no ${channel === 'email' ? 'e-mail address' : 'phone number'} in the on-call directory`);
  return address;
}

/** The tenant's terms as an alert workflow sees them, with escalation targets resolved. */
/** The playbooks a policy may name (the R11 isolation playbook). */
export interface PlaybookLookup {
  get(id: string): PlaybookDefinition | undefined;
}

export const AI_ISOLATION_PLAYBOOK = 'ai-isolation';
const DEFAULT_APPROVAL_TIMEOUT_MS = 15 * 60_000;

export function policyOf(tenant: Tenant, directory: OnCallDirectory, playbooks: PlaybookLookup | null = null): TenantPolicy {
  let escalation: TenantPolicy['escalation'] = null;
  if (tenant.escalation) {
    const steps: PolicyEscalationStep[] = tenant.escalation.steps.map((step) => ({
      name: step.name,
      channel: step.channel,
      to: resolveTarget(directory, tenant.id, step.contact, step.channel),
      timeoutMs: step.timeoutMinutes * 60_000,
      contact: step.contact,
    }));
    const manager = tenant.contacts.find((c) => c.name === tenant.escalation?.finalManagementContact);
    if (!manager?.phone) throw new OnCallConfigError(`tenant ${tenant.id}`, 'the final management contact has no phone number (R13, R19)');
    escalation = { steps, management: { name: manager.name, phone: manager.phone } };
  }
  return {
    id: tenant.id,
    package: tenant.package,
    language: tenant.language,
    terms: { package: tenant.package, twentyFourSeven: tenant.options.twentyFourSeven, weekendEmergency: tenant.options.weekendEmergency },
    allSeverities: tenant.options.allSeverities,
    fixedSocContact: tenant.options.fixedSocContact?.analyst ?? null,
    contacts: tenant.contacts.map((c) => ({ name: c.name, role: c.role, email: c.email, phone: c.phone ?? null, mobile: c.mobile, notify: c.notify })),
    escalation,
    response: responseTermsOf(tenant, escalation, playbooks),
  };
}

function responseTermsOf(tenant: Tenant, escalation: TenantPolicy['escalation'], playbooks: PlaybookLookup | null): ResponseTerms {
  const firewalls = tenant.sources.flatMap((source) =>
    source.kind === 'firewall-opnsense' || source.kind === 'firewall-fortigate'
      ? [{ sourceId: source.id, vendor: source.kind === 'firewall-opnsense' ? ('opnsense' as const) : ('fortigate' as const), addresses: source.addresses ?? [] }]
      : [],
  );
  let aiIsolation: ResponseTerms['aiIsolation'] = null;
  const booked = tenant.options.aiIsolation;
  if (booked && playbooks) {
    const playbook = playbooks.get(AI_ISOLATION_PLAYBOOK);
    if (!playbook) throw new OnCallConfigError(`tenant ${tenant.id}`, `AI-assisted isolation (R11) is booked but the playbooks folder has no '${AI_ISOLATION_PLAYBOOK}' playbook`);
    aiIsolation = { confidenceThreshold: booked.confidenceThreshold, playbook, maxPerHour: booked.maxPerHour };
  }
  return {
    releaseMatrix: tenant.releaseMatrix,
    firewalls,
    approvalTimeoutMs: escalation?.steps[0]?.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS,
    approvalValidityMs: tenant.releaseMatrix.approvalValidityMinutes * 60_000,
    aiIsolation,
  };
}
