/** Zod schemas for every documented Graph alertEvidence type, told apart by `@odata.type`; unknown types stay valid and unread. */
import { z } from 'zod';

export const EVIDENCE_TYPE_PREFIX = '#microsoft.graph.security.';

/** Graph marks nearly every property nullable, and really sends null: every field is optional and nullable. */
const text = z.string().nullish();
const count = z.number().nullish();
const texts = z.array(z.string().nullable()).nullish();

export const userAccountSchema = z.looseObject({
  accountName: text,
  domainName: text,
  userPrincipalName: text,
  userSid: text,
  azureAdUserId: text,
  displayName: text,
});

export const fileDetailsSchema = z.looseObject({ fileName: text, filePath: text, sha1: text, sha256: text, md5: text });

const loggedOnUserSchema = z.looseObject({ accountName: text, domainName: text });
const emailSenderSchema = z.looseObject({ displayName: text, domainName: text, emailAddress: text });
const fileHashSchema = z.looseObject({ algorithm: text, value: text });

/** What every evidence type inherits from alertEvidence and the mapping reads: `roles` (source, destination, attacker...). */
const inherited = { roles: texts };

/** Property sets of the types that also appear nested inside other evidence (without `@odata.type` there, sometimes). */
const ipFields = { ...inherited, ipAddress: text, countryLetterCode: text };
const urlFields = { ...inherited, url: text };
const userFields = { ...inherited, userAccount: userAccountSchema.nullish() };
const deviceFields = {
  ...inherited,
  mdeDeviceId: text,
  deviceDnsName: text,
  hostName: text,
  osPlatform: text,
  ipInterfaces: texts,
  lastIpAddress: text,
  loggedOnUsers: z.array(loggedOnUserSchema.nullable()).nullish(),
};
const fileFields = { ...inherited, fileDetails: fileDetailsSchema.nullish(), detectionStatus: text, mdeDeviceId: text };
const processFields = {
  ...inherited,
  processId: count,
  processCommandLine: text,
  imageFile: fileDetailsSchema.nullish(),
  parentProcessId: count,
  parentProcessImageFile: fileDetailsSchema.nullish(),
  userAccount: userAccountSchema.nullish(),
  detectionStatus: text,
  mdeDeviceId: text,
};

export const nestedIpEvidenceSchema = z.looseObject(ipFields);
export const nestedUrlEvidenceSchema = z.looseObject(urlFields);
export const nestedUserEvidenceSchema = z.looseObject(userFields);
export const nestedDeviceEvidenceSchema = z.looseObject(deviceFields);
export const nestedFileEvidenceSchema = z.looseObject(fileFields);
export const nestedProcessEvidenceSchema = z.looseObject(processFields);
const nestedNicEvidenceSchema = z.looseObject({ ...inherited, ipAddress: nestedIpEvidenceSchema.nullish() });

/** One evidence type: its discriminator plus the properties we read; any other property passes through untouched. */
function evidenceType<const Name extends string, Shape extends z.core.$ZodLooseShape>(name: Name, shape: Shape) {
  return z.looseObject({ ...inherited, ...shape, '@odata.type': z.literal(`${EVIDENCE_TYPE_PREFIX}${name}` as const) });
}

/** Types that carry no user, host, IP, file, process or URL: known, validated as evidence, kept only in `raw`. */
const contextOnly = {} as const;

export const knownEvidenceSchema = z.discriminatedUnion('@odata.type', [
  // Carry entities.
  evidenceType('deviceEvidence', deviceFields),
  evidenceType('fileEvidence', fileFields),
  evidenceType('fileHashEvidence', { algorithm: text, value: text }),
  evidenceType('processEvidence', processFields),
  evidenceType('userEvidence', userFields),
  evidenceType('ipEvidence', ipFields),
  evidenceType('urlEvidence', urlFields),
  evidenceType('mailboxEvidence', { userAccount: userAccountSchema.nullish(), primaryAddress: text, upn: text, displayName: text }),
  evidenceType('mailboxConfigurationEvidence', { upn: text, mailboxPrimaryAddress: text, displayName: text }),
  evidenceType('analyzedMessageEvidence', {
    senderIp: text,
    recipientEmailAddress: text,
    urls: texts,
    p1Sender: emailSenderSchema.nullish(),
    p2Sender: emailSenderSchema.nullish(),
    subject: text,
  }),
  evidenceType('submissionMailEvidence', { senderIp: text, recipient: text, sender: text, subject: text }),
  evidenceType('teamsMessageEvidence', {
    senderIP: text,
    recipients: texts,
    urls: z.array(nestedUrlEvidenceSchema.nullable()).nullish(),
    files: z.array(nestedFileEvidenceSchema.nullable()).nullish(),
  }),
  evidenceType('cloudLogonSessionEvidence', { account: nestedUserEvidenceSchema.nullish(), deviceName: text, operatingSystem: text }),
  evidenceType('hostLogonSessionEvidence', { account: nestedUserEvidenceSchema.nullish(), host: nestedDeviceEvidenceSchema.nullish() }),
  evidenceType('ioTDeviceEvidence', {
    deviceId: text,
    deviceName: text,
    operatingSystem: text,
    ipAddress: nestedIpEvidenceSchema.nullish(),
    nics: z.array(nestedNicEvidenceSchema.nullable()).nullish(),
  }),
  evidenceType('nicEvidence', { ipAddress: nestedIpEvidenceSchema.nullish() }),
  evidenceType('networkConnectionEvidence', {
    sourceAddress: nestedIpEvidenceSchema.nullish(),
    sourcePort: count,
    destinationAddress: nestedIpEvidenceSchema.nullish(),
    destinationPort: count,
    protocol: text,
  }),
  evidenceType('dnsEvidence', {
    domainName: text,
    dnsServerIp: nestedIpEvidenceSchema.nullish(),
    hostIpAddress: nestedIpEvidenceSchema.nullish(),
    ipAddresses: z.array(nestedIpEvidenceSchema.nullable()).nullish(),
  }),
  evidenceType('kubernetesPodEvidence', { name: text, podIp: nestedIpEvidenceSchema.nullish() }),
  evidenceType('kubernetesServiceEvidence', { name: text, clusterIP: nestedIpEvidenceSchema.nullish(), externalIPs: z.array(nestedIpEvidenceSchema.nullable()).nullish() }),
  evidenceType('containerEvidence', { name: text, command: texts, args: texts }),
  evidenceType('blobEvidence', { name: text, url: text, fileHashes: z.array(fileHashSchema.nullable()).nullish() }),
  evidenceType('blobContainerEvidence', { name: text, url: text }),
  evidenceType('gitHubUserEvidence', { login: text, name: text, email: text }),
  evidenceType('malwareEvidence', {
    files: z.array(nestedFileEvidenceSchema.nullable()).nullish(),
    processes: z.array(nestedProcessEvidenceSchema.nullable()).nullish(),
  }),
  // Context only.
  evidenceType('amazonResourceEvidence', contextOnly),
  evidenceType('azureResourceEvidence', contextOnly),
  evidenceType('googleCloudResourceEvidence', contextOnly),
  evidenceType('cloudApplicationEvidence', contextOnly),
  evidenceType('oauthApplicationEvidence', contextOnly),
  evidenceType('servicePrincipalEvidence', contextOnly),
  evidenceType('securityGroupEvidence', contextOnly),
  evidenceType('registryKeyEvidence', contextOnly),
  evidenceType('registryValueEvidence', contextOnly),
  evidenceType('mailClusterEvidence', contextOnly),
  evidenceType('cloudLogonRequestEvidence', contextOnly),
  evidenceType('sasTokenEvidence', contextOnly),
  evidenceType('containerImageEvidence', contextOnly),
  evidenceType('containerRegistryEvidence', contextOnly),
  evidenceType('kubernetesClusterEvidence', contextOnly),
  evidenceType('kubernetesControllerEvidence', contextOnly),
  evidenceType('kubernetesNamespaceEvidence', contextOnly),
  evidenceType('kubernetesSecretEvidence', contextOnly),
  evidenceType('kubernetesServiceAccountEvidence', contextOnly),
  evidenceType('gitHubOrganizationEvidence', contextOnly),
  evidenceType('gitHubRepoEvidence', contextOnly),
]);

export type KnownEvidence = z.output<typeof knownEvidenceSchema>;
export type EvidenceTypeName = KnownEvidence['@odata.type'];

/** Every `@odata.type` this intake knows, with its `#microsoft.graph.security.` prefix. */
export const KNOWN_EVIDENCE_TYPES: ReadonlySet<string> = new Set(knownEvidenceSchema.options.map((option) => option.shape['@odata.type'].value));

/** The evidence's `@odata.type` with the `#` OData uses at the top level (nested objects sometimes omit it), or undefined. */
export function evidenceTypeOf(item: { '@odata.type'?: string | undefined }): string | undefined {
  const type = item['@odata.type'];
  if (type === undefined) return undefined;
  return type.startsWith('#') ? type : `#${type}`;
}

/** The evidence as its known type, or undefined for a type this intake does not know (a future one, say). */
export function parseKnownEvidence(item: { '@odata.type'?: string | undefined }): z.ZodSafeParseResult<KnownEvidence> | undefined {
  const type = evidenceTypeOf(item);
  if (type === undefined || !KNOWN_EVIDENCE_TYPES.has(type)) return undefined;
  return knownEvidenceSchema.safeParse({ ...item, '@odata.type': type });
}

/** One element of `evidence[]`: any object with a string `@odata.type`; a known type must also fit its schema (issues carry the path). */
export const graphEvidenceSchema = z.looseObject({ '@odata.type': z.string().optional() }).superRefine((item, ctx) => {
  const parsed = parseKnownEvidence(item);
  if (parsed === undefined || parsed.success) return;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [...issue.path] });
});

export type GraphEvidence = z.output<typeof graphEvidenceSchema>;
