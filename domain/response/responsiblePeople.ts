/**
 * R8 "Verantwortliche Personen": who of the customer is told before a measure. Management, IT and security contacts
 * notified for the severity; never a billing or other contact, who cannot count as informed.
 */
import type { Severity } from '../severity';
import type { PolicyContact } from '../tenantPolicy';

export const RESPONSIBLE_ROLES: readonly string[] = ['management', 'it', 'security'];

export function responsiblePeople(contacts: readonly PolicyContact[], severity: Severity): PolicyContact[] {
  return contacts.filter((c) => RESPONSIBLE_ROLES.includes(c.role) && c.notify.includes(severity));
}
