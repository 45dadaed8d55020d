/** Builds normalised entities from Graph's shared parts (userAccount, fileDetails, ipEvidence, deviceEvidence, processEvidence). */
import type { z } from 'zod';
import type { fileEntitySchema, hostEntitySchema, ipEntitySchema, processEntitySchema, userEntitySchema } from '../../domain/alert';
import { validIp } from './alertEntityCollector';
import { LIMITS } from './entityLimits';
import type {
  fileDetailsSchema,
  nestedDeviceEvidenceSchema,
  nestedIpEvidenceSchema,
  nestedProcessEvidenceSchema,
  userAccountSchema,
} from './evidence';
import { clip, identifierOf, textOf } from './vendorText';

type UserAccount = z.output<typeof userAccountSchema>;
type FileDetails = z.output<typeof fileDetailsSchema>;
type IpEvidencePart = z.output<typeof nestedIpEvidenceSchema>;
type DeviceEvidencePart = z.output<typeof nestedDeviceEvidenceSchema>;
type ProcessEvidencePart = z.output<typeof nestedProcessEvidenceSchema>;
type Nullish<T> = T | null | undefined;

export type UserEntity = z.output<typeof userEntitySchema>;
export type HostEntity = z.output<typeof hostEntitySchema>;
export type IpEntity = z.output<typeof ipEntitySchema>;
export type FileEntity = z.output<typeof fileEntitySchema>;
export type ProcessEntity = z.output<typeof processEntitySchema>;
export type IpRole = IpEntity['role'];

/** A user named by whatever the account carries: account name, else UPN, else display name. */
export function userOfAccount(account: Nullish<UserAccount>): UserEntity | undefined {
  if (!account) return undefined;
  const name = textOf(account.accountName, LIMITS.userName) ?? textOf(account.userPrincipalName, LIMITS.userName) ?? textOf(account.displayName, LIMITS.userName);
  if (name === undefined) return undefined;
  return {
    name,
    upn: identifierOf(account.userPrincipalName, LIMITS.upn),
    domain: textOf(account.domainName, LIMITS.domain),
    sid: identifierOf(account.userSid, LIMITS.sid),
    azureAdObjectId: identifierOf(account.azureAdUserId, LIMITS.azureAdObjectId),
  };
}

/** A user known only by a name or an e-mail address (a recipient, a logged-on user). */
export function userNamed(name: Nullish<string>, domain?: Nullish<string>): UserEntity | undefined {
  const clean = textOf(name, LIMITS.userName);
  return clean === undefined ? undefined : { name: clean, domain: textOf(domain, LIMITS.domain) };
}

/** `DOMAIN\account` as Windows shows it, else the UPN, else the bare account name. */
export function processUserOf(account: Nullish<UserAccount>): string | undefined {
  if (!account) return undefined;
  const accountName = textOf(account.accountName, LIMITS.processUser);
  const domain = textOf(account.domainName, LIMITS.processUser);
  const label = accountName && domain ? `${domain}\\${accountName}` : (textOf(account.userPrincipalName, LIMITS.processUser) ?? accountName);
  return label === undefined ? undefined : clip(label, LIMITS.processUser);
}

const roleNames = ['source', 'destination'] as const;

/** Graph's evidence roles name `source` and `destination` among others (attacker, compromised...); the rest are `unknown`. */
export function ipRoleOf(roles: Nullish<readonly (string | null)[]>): IpRole {
  return roleNames.find((role) => roles?.includes(role)) ?? 'unknown';
}

/** An IP entity from ipEvidence (top-level or nested); undefined when the address is missing or not an IP. */
export function ipOf(evidence: Nullish<IpEvidencePart>, role?: IpRole): IpEntity | undefined {
  const address = validIp(evidence?.ipAddress);
  if (!evidence || address === undefined) return undefined;
  return { address, role: role ?? ipRoleOf(evidence.roles), countryCode: textOf(evidence.countryLetterCode, LIMITS.countryCode) };
}

/** A host from deviceEvidence: its DNS name, else host name, else the Defender device id; valid interface IPs only. */
export function hostOfDevice(device: Nullish<DeviceEvidencePart>): HostEntity | undefined {
  if (!device) return undefined;
  const hostname = textOf(device.deviceDnsName, LIMITS.hostname) ?? textOf(device.hostName, LIMITS.hostname) ?? textOf(device.mdeDeviceId, LIMITS.hostname);
  if (hostname === undefined) return undefined;
  const ips = [...(device.ipInterfaces ?? []), device.lastIpAddress].map(validIp).filter((ip) => ip !== undefined);
  return { hostname, deviceId: identifierOf(device.mdeDeviceId, LIMITS.deviceId), os: textOf(device.osPlatform, LIMITS.os), ips };
}

const hashPatterns = { sha1: /^[0-9a-f]{40}$/, sha256: /^[0-9a-f]{64}$/, md5: /^[0-9a-f]{32}$/ } as const;
export type HashAlgorithm = keyof typeof hashPatterns;

/** A hash in lower case when it is well-formed for its algorithm; Graph often sends null, sometimes junk: both are dropped. */
export function hashOf(algorithm: HashAlgorithm, value: Nullish<string>): string | undefined {
  const clean = value?.trim().toLowerCase();
  return clean && hashPatterns[algorithm].test(clean) ? clean : undefined;
}

/** Defender gives the folder in `filePath` and the name in `fileName`; the entity wants the full path. */
export function fullPathOf(folder: Nullish<string>, fileName: Nullish<string>): string | undefined {
  const dir = textOf(folder, Number.MAX_SAFE_INTEGER);
  const name = textOf(fileName, Number.MAX_SAFE_INTEGER);
  if (dir === undefined) return undefined;
  if (name === undefined || dir.toLowerCase().endsWith(name.toLowerCase())) return clip(dir, LIMITS.filePath);
  const separator = dir.includes('\\') || /^[A-Za-z]:/.test(dir) ? '\\' : '/';
  const joined = dir.endsWith(separator) ? `${dir}${name}` : `${dir}${separator}${name}`;
  return clip(joined, LIMITS.filePath);
}

const baseNameOf = (path: string | undefined) => path?.split(/[\\/]/).filter((part) => part !== '').pop();

/** A file from fileDetails, named by its file name, else the last part of its path, else its hash. */
export function fileOfDetails(details: Nullish<FileDetails>): FileEntity | undefined {
  if (!details) return undefined;
  const sha1 = hashOf('sha1', details.sha1);
  const sha256 = hashOf('sha256', details.sha256);
  const md5 = hashOf('md5', details.md5);
  const path = fullPathOf(details.filePath, details.fileName);
  const name = textOf(details.fileName, LIMITS.fileName) ?? textOf(baseNameOf(path), LIMITS.fileName) ?? sha256 ?? sha1 ?? md5;
  return name === undefined ? undefined : { name, path, sha1, sha256, md5 };
}

/** A process from processEvidence; the image is the full path of `imageFile`. */
export function processOf(evidence: ProcessEvidencePart): ProcessEntity {
  const pid = evidence.processId;
  const imagePathOf = (file: Nullish<FileDetails>) => (file ? (fullPathOf(file.filePath, file.fileName) ?? textOf(file.fileName, LIMITS.imagePath)) : undefined);
  return {
    pid: typeof pid === 'number' && Number.isSafeInteger(pid) && pid >= 0 ? pid : undefined,
    commandLine: textOf(evidence.processCommandLine, LIMITS.commandLine),
    imagePath: imagePathOf(evidence.imageFile),
    user: processUserOf(evidence.userAccount),
    parentImagePath: imagePathOf(evidence.parentProcessImageFile),
  };
}
