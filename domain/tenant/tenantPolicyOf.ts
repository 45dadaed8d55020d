/**
 * How a tenant file becomes the terms an alert workflow carries (`TenantPolicy`): package, options, contacts, the
 * escalation chain resolved against the SOC's on-call directory (R19), the release matrix and R11's isolation playbook.
 */
import type { PlaybookDefinition } from '../playbook/playbookDefinition';
import { OnCallConfigError, resolveOnCallTarget, type OnCallDirectory } from '../soc/onCallDirectory';
import type { PolicyEscalationStep, ResponseTerms, TenantPolicy } from '../tenantPolicy';
import type { Tenant } from './tenantSchema';
import { DEFAULT_LANGUAGE, type Language } from '../i18n/language';

/** The playbooks a policy may name (the R11 isolation playbook). */
export interface PlaybookLookup {
  get(id: string): PlaybookDefinition | undefined;
}

export const AI_ISOLATION_PLAYBOOK = 'ai-isolation';
const DEFAULT_APPROVAL_TIMEOUT_MS = 15 * 60_000;

/** The tenant's terms as an alert workflow sees them, with escalation targets resolved and paged in the SOC's language. */
export function policyOf(tenant: Tenant, directory: OnCallDirectory, playbooks: PlaybookLookup | null = null, socLanguage: Language = DEFAULT_LANGUAGE): TenantPolicy {
  let escalation: TenantPolicy['escalation'] = null;
  if (tenant.escalation) {
    const steps: PolicyEscalationStep[] = tenant.escalation.steps.map((step) => ({
      name: step.name,
      channel: step.channel,
      to: resolveOnCallTarget(directory, tenant.id, step.contact, step.channel),
      timeoutMs: step.timeoutMinutes * 60_000,
      contact: step.contact,
    }));
    const manager = tenant.contacts.find((c) => c.name === tenant.escalation?.finalManagementContact);
    if (!manager?.phone) throw new OnCallConfigError(`tenant ${tenant.id}`, 'the final management contact has no phone number (R13, R19)');
    escalation = { steps, management: { name: manager.name, phone: manager.phone }, language: socLanguage };
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
