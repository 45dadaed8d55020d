/** A customer's named contact person: who is told what, and how (R6, R8, R13, R19). */
import { z } from 'zod';
import { SEVERITIES } from '../severity';
import { severitySchema } from '../severitySchema';

export const CONTACT_ROLES = ['management', 'it', 'security', 'billing', 'other'] as const;

/** E.164: a plus, the country code and the number, no spaces. */
export const phoneSchema = z
  .string({
    error: (issue) =>
      typeof issue.input === 'number'
        ? 'a phone number must be quoted, like "+4917012345678" (unquoted, YAML reads it as a number)'
        : 'a phone number in E.164 form, like "+4917012345678"',
  })
  .regex(/^\+[1-9]\d{6,14}$/, 'a phone number in E.164 form: a plus, the country code and the number, no spaces, like "+4917012345678"');

export const contactSchema = z
  .strictObject({
    name: z.string().min(1).max(200).describe('Unique within the tenant; escalation refers to contacts by this name.'),
    role: z.enum(CONTACT_ROLES),
    email: z.email(),
    phone: phoneSchema.optional(),
    mobile: z.boolean().default(false).describe('True when `phone` is a mobile number (R13, R19).'),
    notify: z
      .array(severitySchema)
      .default([...SEVERITIES])
      .describe('Severities this contact is told about; all four unless listed.'),
  })
  .superRefine((contact, ctx) => {
    if (contact.mobile && contact.phone === undefined) {
      ctx.addIssue({ code: 'custom', path: ['mobile'], message: 'mobile: true needs a phone number' });
    }
    const seen = new Set<string>();
    contact.notify.forEach((severity, index) => {
      if (seen.has(severity)) ctx.addIssue({ code: 'custom', path: ['notify', index], message: `severity '${severity}' is listed twice` });
      seen.add(severity);
    });
  });

export type TenantContact = z.output<typeof contactSchema>;

/** A contact that can be reached on a management mobile number (R13, R19). */
export function isManagementMobile(contact: TenantContact): boolean {
  return contact.role === 'management' && contact.mobile && contact.phone !== undefined;
}
