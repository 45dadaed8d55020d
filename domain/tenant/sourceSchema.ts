/** A connected and approved source of events for a tenant (R1), with the Sigma product its events are matched as. */
import { z } from 'zod';
import { slugSchema } from '../alert';

export const SOURCE_KINDS = [
  'microsoft365',
  'defender-endpoint',
  'edr',
  'firewall-opnsense',
  'firewall-fortigate',
  'firewall-pfsense',
  'syslog-generic',
  'custom',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Kinds whose events come from a Microsoft 365 (Entra ID) tenant: they name it (R13). */
export const MICROSOFT_365_KINDS: readonly SourceKind[] = ['microsoft365', 'defender-endpoint'];
/** Kinds that are firewalls: only with the firewall option (R12). */
export const FIREWALL_KINDS: readonly SourceKind[] = ['firewall-opnsense', 'firewall-fortigate', 'firewall-pfsense'];

/** The Sigma logsource product the detection rules use for each kind; kinds without one must name theirs. */
const DEFAULT_PRODUCTS: Partial<Record<SourceKind, string>> = {
  microsoft365: 'm365',
  'defender-endpoint': 'm365',
  edr: 'endpoint',
  'firewall-opnsense': 'firewall',
  'firewall-fortigate': 'firewall',
  'firewall-pfsense': 'firewall',
};

export function isFirewallKind(kind: SourceKind): boolean {
  return FIREWALL_KINDS.includes(kind);
}

export function isMicrosoft365Kind(kind: SourceKind): boolean {
  return MICROSOFT_365_KINDS.includes(kind);
}

/** Entra ID tenant ids: GUIDs, kept in lower case so that lookups compare exactly. */
export const azureTenantIdSchema = z.guid('an Azure (Entra ID) tenant id: a GUID like b3c8f0a4-5f2e-4d6b-9c1a-7e2f1d3a4b5c').toLowerCase();

const addressSchema = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
  error: 'an IPv4 or IPv6 address or CIDR range, like 192.0.2.10 or 192.0.2.0/24',
});

/**
 * A client certificate's SHA-256 fingerprint as RFC 5425 writes it (`sha-256:` and 32 colon-separated hex pairs; Node
 * and openssl print the pairs as `fingerprint256` / `-fingerprint -sha256`); kept in upper case.
 */
export const certificateFingerprintSchema = z
  .string()
  .regex(/^sha-256:([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, 'a SHA-256 certificate fingerprint like sha-256:AB:CD:… (32 hex pairs)')
  .transform((text) => `sha-256:${text.slice('sha-256:'.length).toUpperCase()}`);

/** Where the engine reaches a firewall's management API and which list a deny rule already uses (R12). */
export const firewallApiSchema = z
  .strictObject(
    {
      url: z
        .url({ protocol: /^https$/, error: 'the firewall API address: an https URL like https://198.51.100.10 (plain http would expose the API key)' })
        .describe('Base URL of the management API (https).'),
      blockList: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,79}$/, 'the name of the alias (OPNsense) or address group (FortiGate) a deny rule uses, like SOAR_BLOCKLIST')
        .describe('OPNsense alias or FortiGate address group that a deny rule already uses; blocked IPs are added to it.'),
      vdom: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,31}$/, 'a FortiGate VDOM name like root')
        .optional()
        .describe('FortiGate VDOM the address group lives in (FortiGate only).'),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'api is { url, blockList, vdom? }' : undefined) },
  )
  .describe('The firewall management API the engine blocks IPs through (R12).');

export type FirewallApi = z.output<typeof firewallApiSchema>;

export const sourceSchema = z
  .strictObject({
    id: slugSchema.describe('Unique within the tenant; alerts name their source by this id.'),
    kind: z.enum(SOURCE_KINDS),
    product: z
      .string()
      .regex(/^[a-z0-9_-]{1,64}$/, 'a Sigma logsource product such as m365, endpoint or firewall')
      .optional()
      .describe('Sigma logsource product the rules use; derived from the kind unless given (required for syslog-generic and custom).'),
    azureTenantId: azureTenantIdSchema.optional().describe('The connected Microsoft 365 tenant; required for microsoft365 and defender-endpoint (R13).'),
    addresses: z.array(addressSchema).optional().describe('Where this source sends syslog from: IP addresses or CIDR ranges.'),
    certificates: z
      .array(certificateFingerprintSchema)
      .optional()
      .describe('Syslog over TLS (RFC 5425): the SHA-256 fingerprints of the client certificates this source presents; the certificate, not the address, names the source there.'),
    api: firewallApiSchema.optional().describe('Only for firewall-opnsense and firewall-fortigate: where blocks are made (R12).'),
    description: z.string().max(1000).optional(),
  })
  .superRefine((source, ctx) => {
    if (isMicrosoft365Kind(source.kind) && source.azureTenantId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['azureTenantId'],
        message: `R13: a ${source.kind} source needs azureTenantId: a tenant that uses Microsoft 365 must have it connected`,
      });
    }
    if (!isMicrosoft365Kind(source.kind) && source.azureTenantId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['azureTenantId'], message: `azureTenantId belongs to microsoft365 and defender-endpoint sources, not to ${source.kind}` });
    }
    if (source.api !== undefined && source.kind !== 'firewall-opnsense' && source.kind !== 'firewall-fortigate') {
      ctx.addIssue({ code: 'custom', path: ['api'], message: `api belongs to firewall-opnsense and firewall-fortigate sources, not to ${source.kind}` });
    }
    if (source.api?.vdom !== undefined && source.kind !== 'firewall-fortigate') {
      ctx.addIssue({ code: 'custom', path: ['api', 'vdom'], message: `vdom is a FortiGate setting, not one of a ${source.kind} source` });
    }
    if (source.product === undefined && DEFAULT_PRODUCTS[source.kind] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['product'], message: `a ${source.kind} source must name its Sigma logsource product` });
    }
  })
  .transform((source) => ({ ...source, product: source.product ?? DEFAULT_PRODUCTS[source.kind] ?? source.kind }));

export type TenantSource = z.output<typeof sourceSchema>;
