/** The SOC's on-call targets (config/soc/oncall.yaml), and how an escalation step's contact resolves to an address (R19). */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { phoneSchema } from '../tenant/contactSchema';

const directorySchema = z.strictObject({
  targets: z.array(
    z.strictObject({
      id: z.string().min(1).max(64),
      name: z.string().min(1).max(200),
      phone: phoneSchema.optional(),
      email: z.email().optional(),
    }),
  ),
  /** The SOC's management: told once a month of each tenant above fair use (R15). */
  management: z.array(z.strictObject({ name: z.string().min(1).max(200), email: z.email() })).default([]),
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

/** The address of an escalation step's contact for its channel: given directly, or an on-call target's (R19). */
export function resolveOnCallTarget(directory: OnCallDirectory, tenantId: string, contact: string, channel: 'sms' | 'voice' | 'email'): string {
  if (channel === 'email' && EMAIL.test(contact)) return contact;
  if (channel !== 'email' && PHONE.test(contact)) return contact;
  const target = directory.targets.find((t) => t.id === contact);
  const address = channel === 'email' ? target?.email : target?.phone;
  if (!address) throw new OnCallConfigError(`tenant ${tenantId}`, `escalation target '${contact}' has no ${channel === 'email' ? 'e-mail address' : 'phone number'} in the on-call directory`);
  return address;
}
