/** The SOC's on-call targets (config/soc/oncall.yaml), and how a tenant's escalation chain resolves to addresses (R19). */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { phoneSchema } from '../tenant/contactSchema';
import type { Tenant } from '../tenant/tenantSchema';
import type { PolicyEscalationStep, TenantPolicy } from '../tenantPolicy';

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
export function policyOf(tenant: Tenant, directory: OnCallDirectory): TenantPolicy {
  let escalation: TenantPolicy['escalation'] = null;
  if (tenant.escalation) {
    const steps: PolicyEscalationStep[] = tenant.escalation.steps.map((step) => ({
      name: step.name,
      channel: step.channel,
      to: resolveTarget(directory, tenant.id, step.contact, step.channel),
      timeoutMs: step.timeoutMinutes * 60_000,
    }));
    const manager = tenant.contacts.find((c) => c.name === tenant.escalation?.finalManagementContact);
    if (!manager?.phone) throw new OnCallConfigError(`tenant ${tenant.id}`, 'the final management contact has no phone number (R13, R19)');
    escalation = { steps, management: { name: manager.name, phone: manager.phone } };
  }
  return {
    id: tenant.id,
    package: tenant.package,
    terms: { package: tenant.package, twentyFourSeven: tenant.options.twentyFourSeven, weekendEmergency: tenant.options.weekendEmergency },
    allSeverities: tenant.options.allSeverities,
    fixedSocContact: tenant.options.fixedSocContact?.analyst ?? null,
    contacts: tenant.contacts.map((c) => ({ name: c.name, role: c.role, email: c.email, phone: c.phone ?? null, mobile: c.mobile, notify: c.notify })),
    escalation,
  };
}
