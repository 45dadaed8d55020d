/** Which entities each Graph evidence type carries: users, hosts, IPs, files, processes, URLs; context-only types add none. */
import type { z } from 'zod';
import type { AlertEntityCollector } from './alertEntityCollector';
import {
  fileOfDetails,
  hashOf,
  hostOfDevice,
  ipOf,
  processOf,
  userNamed,
  userOfAccount,
  type FileEntity,
  type HashAlgorithm,
} from './entityBuilders';
import { LIMITS } from './entityLimits';
import type { KnownEvidence, nestedFileEvidenceSchema, nestedProcessEvidenceSchema, nestedUrlEvidenceSchema } from './evidence';
import { identifierOf, textOf } from './vendorText';

type Nullish<T> = T | null | undefined;
type FileEvidencePart = z.output<typeof nestedFileEvidenceSchema>;
type ProcessEvidencePart = z.output<typeof nestedProcessEvidenceSchema>;
type UrlEvidencePart = z.output<typeof nestedUrlEvidenceSchema>;

/** Adds what is there: builders answer undefined for a missing name or an invalid IP, which is skipped. */
const each = <T>(items: Nullish<readonly Nullish<T>[]>, add: (item: T) => void) => {
  for (const item of items ?? []) if (item !== null && item !== undefined) add(item);
};

function addFileEvidence(file: FileEvidencePart, into: AlertEntityCollector): void {
  const entity = fileOfDetails(file.fileDetails);
  if (entity) into.addFile(entity);
}

/** A process and the account it ran as; the image file is not a file entity (it is often a system binary, never to quarantine). */
function addProcessEvidence(process: ProcessEvidencePart, into: AlertEntityCollector): void {
  into.addProcess(processOf(process));
  const user = userOfAccount(process.userAccount);
  if (user) into.addUser(user);
}

function addUrl(url: Nullish<string>, into: AlertEntityCollector): void {
  const clean = textOf(url, LIMITS.url);
  if (clean !== undefined) into.addUrl(clean);
}

const addUrlEvidence = (url: UrlEvidencePart, into: AlertEntityCollector) => addUrl(url.url, into);

const optional = <T>(value: T | undefined, add: (value: T) => void) => {
  if (value !== undefined) add(value);
};

/** A file named only by its hash (fileHashEvidence, blob hashes) takes a real name when the same hash shows up with one. */
function fileOfHash(algorithm: Nullish<string>, value: Nullish<string>, name?: Nullish<string>): FileEntity | undefined {
  const known: readonly HashAlgorithm[] = ['sha1', 'sha256', 'md5'];
  const kind = known.find((candidate) => candidate === algorithm?.toLowerCase());
  const hash = kind === undefined ? undefined : hashOf(kind, value);
  if (kind === undefined || hash === undefined) return undefined;
  return { name: textOf(name, LIMITS.fileName) ?? hash, [kind]: hash };
}

/** Adds the entities one evidence item carries. */
export function addEvidenceEntities(evidence: KnownEvidence, into: AlertEntityCollector): void {
  const user = (entity: ReturnType<typeof userOfAccount>) => optional(entity, (u) => into.addUser(u));
  const ip = (entity: ReturnType<typeof ipOf>) => optional(entity, (i) => into.addIp(i));
  const host = (entity: ReturnType<typeof hostOfDevice>) => optional(entity, (h) => into.addHost(h));

  switch (evidence['@odata.type']) {
    case '#microsoft.graph.security.deviceEvidence':
      host(hostOfDevice(evidence));
      each(evidence.loggedOnUsers, (account) => user(userNamed(account.accountName, account.domainName)));
      return;
    case '#microsoft.graph.security.fileEvidence':
      addFileEvidence(evidence, into);
      return;
    case '#microsoft.graph.security.fileHashEvidence':
      optional(fileOfHash(evidence.algorithm, evidence.value), (file) => into.addFile(file));
      return;
    case '#microsoft.graph.security.processEvidence':
      addProcessEvidence(evidence, into);
      return;
    case '#microsoft.graph.security.userEvidence':
      user(userOfAccount(evidence.userAccount));
      return;
    case '#microsoft.graph.security.ipEvidence':
      ip(ipOf(evidence));
      return;
    case '#microsoft.graph.security.urlEvidence':
      addUrlEvidence(evidence, into);
      return;
    case '#microsoft.graph.security.mailboxEvidence': {
      const account = userOfAccount(evidence.userAccount);
      const upn = identifierOf(evidence.upn, LIMITS.upn) ?? account?.upn;
      const name = account?.name ?? textOf(upn, LIMITS.userName) ?? textOf(evidence.primaryAddress, LIMITS.userName) ?? textOf(evidence.displayName, LIMITS.userName);
      if (name !== undefined) user({ ...account, name, upn });
      return;
    }
    case '#microsoft.graph.security.mailboxConfigurationEvidence': {
      const upn = identifierOf(evidence.upn, LIMITS.upn);
      const name = textOf(upn, LIMITS.userName) ?? textOf(evidence.mailboxPrimaryAddress, LIMITS.userName) ?? textOf(evidence.displayName, LIMITS.userName);
      if (name !== undefined) user({ name, upn });
      return;
    }
    case '#microsoft.graph.security.analyzedMessageEvidence':
      // Senders (p1Sender/p2Sender) are not users of the tenant as a rule, and may be spoofed: kept in raw only.
      ip(ipOf({ ipAddress: evidence.senderIp }, 'source'));
      user(userNamed(evidence.recipientEmailAddress));
      each(evidence.urls, (url) => addUrl(url, into));
      return;
    case '#microsoft.graph.security.submissionMailEvidence':
      ip(ipOf({ ipAddress: evidence.senderIp }, 'source'));
      user(userNamed(evidence.recipient));
      return;
    case '#microsoft.graph.security.teamsMessageEvidence':
      ip(ipOf({ ipAddress: evidence.senderIP }, 'source'));
      each(evidence.recipients, (recipient) => user(userNamed(recipient)));
      each(evidence.urls, (url) => addUrlEvidence(url, into));
      each(evidence.files, (file) => addFileEvidence(file, into));
      return;
    case '#microsoft.graph.security.cloudLogonSessionEvidence': {
      user(userOfAccount(evidence.account?.userAccount));
      const hostname = textOf(evidence.deviceName, LIMITS.hostname);
      if (hostname !== undefined) host({ hostname, os: textOf(evidence.operatingSystem, LIMITS.os), ips: [] });
      return;
    }
    case '#microsoft.graph.security.hostLogonSessionEvidence':
      user(userOfAccount(evidence.account?.userAccount));
      host(hostOfDevice(evidence.host));
      return;
    case '#microsoft.graph.security.ioTDeviceEvidence': {
      const hostname = textOf(evidence.deviceName, LIMITS.hostname) ?? textOf(evidence.deviceId, LIMITS.hostname);
      const ips = [evidence.ipAddress, ...(evidence.nics ?? []).map((nic) => nic?.ipAddress)].flatMap((part) => ipOf(part)?.address ?? []);
      if (hostname !== undefined) host({ hostname, deviceId: identifierOf(evidence.deviceId, LIMITS.deviceId), os: textOf(evidence.operatingSystem, LIMITS.os), ips });
      return;
    }
    case '#microsoft.graph.security.nicEvidence':
      ip(ipOf(evidence.ipAddress));
      return;
    case '#microsoft.graph.security.networkConnectionEvidence':
      ip(ipOf(evidence.sourceAddress, 'source'));
      ip(ipOf(evidence.destinationAddress, 'destination'));
      return;
    case '#microsoft.graph.security.dnsEvidence':
      ip(ipOf(evidence.dnsServerIp));
      ip(ipOf(evidence.hostIpAddress));
      each(evidence.ipAddresses, (address) => ip(ipOf(address)));
      return;
    case '#microsoft.graph.security.kubernetesPodEvidence':
      ip(ipOf(evidence.podIp));
      return;
    case '#microsoft.graph.security.kubernetesServiceEvidence':
      ip(ipOf(evidence.clusterIP));
      each(evidence.externalIPs, (address) => ip(ipOf(address)));
      return;
    case '#microsoft.graph.security.containerEvidence': {
      const parts = [...(evidence.command ?? []), ...(evidence.args ?? [])].filter((part) => part !== null);
      into.addProcess({ commandLine: textOf(parts.join(' '), LIMITS.commandLine) });
      return;
    }
    case '#microsoft.graph.security.blobEvidence': {
      addUrl(evidence.url, into);
      const name = textOf(evidence.name, LIMITS.fileName);
      const hashes = (evidence.fileHashes ?? []).map((hash) => fileOfHash(hash?.algorithm, hash?.value, name)).filter((file) => file !== undefined);
      const merged = hashes.reduce<FileEntity | undefined>((file, next) => ({ ...next, ...file }), undefined);
      if (merged) into.addFile(merged);
      return;
    }
    case '#microsoft.graph.security.blobContainerEvidence':
      addUrl(evidence.url, into);
      return;
    case '#microsoft.graph.security.gitHubUserEvidence':
      user(userNamed([evidence.login, evidence.name, evidence.email].find((name) => name?.trim())));
      return;
    case '#microsoft.graph.security.malwareEvidence':
      each(evidence.files, (file) => addFileEvidence(file, into));
      each(evidence.processes, (process) => addProcessEvidence(process, into));
      return;
    default:
      // Context-only types (cloud resources, apps, registry, groups, mail clusters...): nothing to add, the evidence stays in raw.
      return;
  }
}
