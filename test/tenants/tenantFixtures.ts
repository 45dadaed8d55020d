/** Small valid tenant files for the refusal tests, and a helper that returns the error a text is refused with. */
import { parseTenantYaml, TenantConfigError } from '../../domain/tenant/loadTenants';

/** A valid package 1 tenant; line numbers matter to the tests (line 1 is `id:`). Its management mobile is R13's. */
export const PACKAGE_1 = `id: acme
name: Acme Handel GmbH
package: 1
sources:
  - id: edr
    kind: edr
mailDomain: acme.example
fairUse:
  monthlyIncidentBaseline: 5
contacts:
  - { name: Eva Richter, role: management, email: e.richter@acme.example, phone: "+491715550100", mobile: true }
`;

/** A valid package 2 tenant with a management mobile contact and an escalation chain. */
export const PACKAGE_2 = `id: acme
name: Acme Handel GmbH
package: 2
contacts:
  - name: Eva Richter
    role: management
    email: e.richter@acme.example
    phone: "+491715550100"
    mobile: true
  - name: Tom Wolf
    role: it
    email: t.wolf@acme.example
sources:
  - id: edr
    kind: edr
mailDomain: acme.example
fairUse:
  monthlyIncidentBaseline: 20
escalation:
  steps:
    - { name: SOC on-call, contact: soc-oncall-1, channel: sms, timeoutMinutes: 15 }
  finalManagementContact: Eva Richter
`;

export const FILE = 'config/tenants/acme.yaml';

/** The error the text is refused with; fails the test when it is accepted. */
export function refusalOf(text: string, file = FILE): TenantConfigError {
  try {
    parseTenantYaml(text, file);
  } catch (error) {
    if (error instanceof TenantConfigError) return error;
    throw error;
  }
  throw new Error('expected the tenant file to be refused, but it was accepted');
}

/** Replaces exactly one occurrence, so a fixture edit cannot silently miss. */
export function edit(text: string, search: string, replacement: string): string {
  const at = text.indexOf(search);
  if (at < 0 || text.indexOf(search, at + 1) >= 0) throw new Error(`'${search}' must occur exactly once`);
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}
