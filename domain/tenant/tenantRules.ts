/** Checks across fields of a tenant file: package options (R10, R11), release matrix (R8), firewalls (R12), onboarding (R13), escalation (R19). */
import type { z } from 'zod';
import { MATRIX_PERMISSIONS } from '../response/actionCatalog';
import { isManagementMobile } from './contactSchema';
import { isFirewallKind } from './sourceSchema';
import { isBooked, PACKAGE_3_OPTIONS } from './tenantOptionsSchema';
import type { TenantFields } from './tenantFieldsSchema';

type Context = z.RefinementCtx<TenantFields>;
type Path = (string | number)[];

export function checkTenantRules(tenant: TenantFields, ctx: Context): void {
  const refuse = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });
  checkPackageOptions(tenant, refuse);
  checkUniqueNames(tenant, refuse);
  checkReleaseActions(tenant, refuse);
  checkFirewalls(tenant, refuse);
  checkOnboarding(tenant, refuse);
  checkEscalation(tenant, refuse);
}

type Refuse = (path: Path, message: string) => void;

function checkPackageOptions(tenant: TenantFields, refuse: Refuse): void {
  if (tenant.package !== 1) return;
  for (const option of PACKAGE_3_OPTIONS) {
    if (isBooked(tenant.options, option)) {
      refuse(['options', option], `R11: ${option} is a package 3 option, bookable on top of package 2 only; a package 1 tenant cannot have it`);
    }
  }
  if (tenant.options.weekendEmergency) {
    refuse(['options', 'weekendEmergency'], 'R10: the weekend emergency option needs package 2 or 3');
  }
}

function checkUniqueNames(tenant: TenantFields, refuse: Refuse): void {
  const sources = new Map<string, number>();
  tenant.sources.forEach((source, index) => {
    const first = sources.get(source.id);
    if (first !== undefined) refuse(['sources', index, 'id'], `duplicate source id '${source.id}' (first at sources[${first}])`);
    else sources.set(source.id, index);
  });
  const contacts = new Map<string, number>();
  tenant.contacts.forEach((contact, index) => {
    const first = contacts.get(contact.name);
    if (first !== undefined) refuse(['contacts', index, 'name'], `duplicate contact name '${contact.name}' (first at contacts[${first}])`);
    else contacts.set(contact.name, index);
  });
  // A webhook's id names its deliveries (tenant:<id>); two with one id could not be told apart.
  const webhooks = new Map<string, number>();
  tenant.webhooks?.forEach((webhook, index) => {
    const first = webhooks.get(webhook.id);
    if (first !== undefined) refuse(['webhooks', index, 'id'], `duplicate webhook id '${webhook.id}' (first at webhooks[${first}]): it names the deliveries`);
    else webhooks.set(webhook.id, index);
  });
}

/** R8: a release rule can only allow a measure the engine knows; a misspelt or unsupported action would silently allow nothing. */
function checkReleaseActions(tenant: TenantFields, refuse: Refuse): void {
  tenant.releaseMatrix.rules.forEach((rule, ruleIndex) => {
    if (!MATRIX_PERMISSIONS.includes(rule.action)) {
      refuse(['releaseMatrix', 'rules', ruleIndex, 'action'], `R8: '${rule.action}' is not a measure the engine knows; known: ${MATRIX_PERMISSIONS.join(', ')}`);
    }
  });
}

function checkFirewalls(tenant: TenantFields, refuse: Refuse): void {
  tenant.sources.forEach((source, index) => {
    if (isFirewallKind(source.kind) && !tenant.options.firewall) {
      refuse(['sources', index, 'kind'], `R12: firewall source '${source.id}' needs the firewall option (options.firewall: true)`);
    }
  });
  tenant.releaseMatrix.rules.forEach((rule, ruleIndex) => {
    if (rule.action.startsWith('firewall.') && !tenant.options.firewall) {
      refuse(['releaseMatrix', 'rules', ruleIndex, 'action'], `R12: ${rule.action} needs the firewall option (options.firewall: true)`);
    }
    rule.targets.firewalls?.forEach((sourceId, index) => {
      const source = tenant.sources.find((s) => s.id === sourceId);
      const path = ['releaseMatrix', 'rules', ruleIndex, 'targets', 'firewalls', index];
      if (!source) refuse(path, `'${sourceId}' is not a source of this tenant`);
      else if (!isFirewallKind(source.kind)) refuse(path, `'${sourceId}' is not a firewall source (its kind is ${source.kind})`);
    });
  });
}

/**
 * R13 "gilt insbesondere für Pakete 2 und 3": every package, and especially 2 and 3, names a management mobile number.
 * A tenant that uses Microsoft 365 services (a microsoft365 source) must have them connected: Graph credentials.
 */
function checkOnboarding(tenant: TenantFields, refuse: Refuse): void {
  if (!tenant.contacts.some(isManagementMobile)) {
    refuse(['contacts'], `R13: a package ${tenant.package} tenant must name at least one contact with role management, mobile: true and a phone number`);
  }
  const m365 = tenant.sources.findIndex((source) => source.kind === 'microsoft365');
  const graph = tenant.credentials?.graph;
  if (m365 >= 0 && (graph === undefined || graph.clientId === undefined)) {
    refuse(
      graph === undefined ? ['sources', m365, 'kind'] : ['credentials', 'graph'],
      `R13: a tenant that uses Microsoft 365 must have it connected: credentials.graph needs a clientId and a secretRef (source '${tenant.sources[m365]?.id}')`,
    );
  }
}

function checkEscalation(tenant: TenantFields, refuse: Refuse): void {
  const { escalation } = tenant;
  if (!escalation) {
    if (tenant.package !== 1) refuse(['escalation'], `R19: a package ${tenant.package} tenant needs an escalation chain (escalation.steps and escalation.finalManagementContact)`);
    return;
  }
  const final = tenant.contacts.find((c) => c.name === escalation.finalManagementContact);
  if (!final || !isManagementMobile(final)) {
    const candidates = tenant.contacts.filter(isManagementMobile).map((c) => `'${c.name}'`);
    const problem = final ? `contact '${final.name}' is not` : `there is no contact named '${escalation.finalManagementContact}'; it must name`;
    refuse(
      ['escalation', 'finalManagementContact'],
      `R19: ${problem} a contact with role management, mobile: true and a phone number` + (candidates.length > 0 ? ` (candidates: ${candidates.join(', ')})` : ''),
    );
  }
}
