/**
 * The SOC's on-call targets (config/soc/oncall.yaml), and how an escalation step's contact resolves to an address (R19).
 * Pure: the file is read by infra/files/onCallFile.ts.
 */
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { phoneSchema } from '../tenant/contactSchema';
import { formatKeyPath } from '../tenant/tenantConfigError';
import { firstLine, lineOfPath } from '../tenant/yamlLocation';

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

/** Validates the on-call directory's text; `file` names it in errors, with the line of the first problem. */
export function parseOnCallDirectory(text: string, file: string): OnCallDirectory {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) throw new OnCallConfigError(`${file}:${lineCounter.linePos(syntax.pos[0]).line}`, `YAML syntax error: ${firstLine(syntax.message)}`);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new OnCallConfigError(file, `YAML cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = directorySchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : (issue?.path ?? []);
    const line = lineOfPath(doc, lineCounter, path);
    throw new OnCallConfigError(line === undefined ? file : `${file}:${line}`, `${formatKeyPath(path) || '(root)'}: ${issue?.message}`);
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
