/** References to the secrets of a tenant's integrations: never the secrets themselves. */
import { z } from 'zod';

const SECRETS_ARE_REFERENCED = 'secrets must be referenced, never written inline: use env:VARIABLE_NAME or file:/absolute/path';

/** `env:NAME` (an environment variable) or `file:/path` (a mounted secret file). */
export const secretRefSchema = z
  .string({ error: SECRETS_ARE_REFERENCED })
  .regex(/^(?:env:[A-Z_][A-Z0-9_]*|file:\/\S+)$/, SECRETS_ARE_REFERENCED);

const credentialReferenceSchema = z.strictObject(
  {
    clientId: z.string().min(1).max(256).optional(),
    secretRef: secretRefSchema,
  },
  { error: (issue) => (issue.code === 'invalid_type' ? `a credential is { clientId?, secretRef }; ${SECRETS_ARE_REFERENCED}` : undefined) },
);

export const credentialsSchema = z
  .strictObject({
    graph: credentialReferenceSchema.optional().describe('Microsoft Graph (Microsoft 365 measures).'),
    defender: credentialReferenceSchema.optional().describe('Microsoft Defender for Endpoint API.'),
    opnsense: credentialReferenceSchema.optional().describe('OPNsense API.'),
    fortigate: credentialReferenceSchema.optional().describe('FortiGate REST API.'),
    smtp: credentialReferenceSchema.optional().describe('Outgoing mail for notifications.'),
    sms: credentialReferenceSchema.optional().describe('SMS and voice gateway for escalation.'),
  })
  .describe('Per integration: an optional client id and a secret reference (env:NAME or file:/path).');

/** The integrations a tenant file may hold credential references for. */
export const CREDENTIAL_INTEGRATIONS = credentialsSchema.keyof().options;
export type CredentialIntegration = (typeof CREDENTIAL_INTEGRATIONS)[number];
export type CredentialReference = z.output<typeof credentialReferenceSchema>;
export type TenantCredentials = z.output<typeof credentialsSchema>;
