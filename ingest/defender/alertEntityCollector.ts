/** Gathers an alert's entities from its evidence, merging duplicates (same UPN or name, host, IP, hash or file name, URL). */
import { z } from 'zod';
import type { entitiesSchema, fileEntitySchema, hostEntitySchema, ipEntitySchema, processEntitySchema, userEntitySchema } from '../../domain/alert';

type UserEntity = z.output<typeof userEntitySchema>;
type HostEntity = z.output<typeof hostEntitySchema>;
type IpEntity = z.output<typeof ipEntitySchema>;
type FileEntity = z.output<typeof fileEntitySchema>;
type ProcessEntity = z.output<typeof processEntitySchema>;
type Entities = z.output<typeof entitiesSchema>;

/** The normalised alert's limits: entities per kind, IPs per host. */
export const MAX_ENTITIES_PER_KIND = 500;
export const MAX_IPS_PER_HOST = 64;

const ipAddressSchema = z.ipv4().or(z.ipv6());

/** The address as the normalised alert accepts it, or undefined: an invalid IP is dropped, never a reason to refuse. */
export function validIp(address: string | null | undefined): string | undefined {
  const trimmed = address?.trim();
  return trimmed && ipAddressSchema.safeParse(trimmed).success ? trimmed : undefined;
}

const same = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
const conflict = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() !== b.toLowerCase();

/** Fills the fields `into` lacks from `from`; what `into` already has wins. */
function fillMissing<T extends object>(into: T, from: T): void {
  for (const key in from) {
    if (into[key] === undefined && from[key] !== undefined) into[key] = from[key];
  }
}

/** Same person: equal UPN, SID or Entra object id; else equal name (or a name equal to the other's UPN) in a compatible domain. */
function sameUser(a: UserEntity, b: UserEntity): boolean {
  if (conflict(a.upn, b.upn) || conflict(a.sid, b.sid) || conflict(a.azureAdObjectId, b.azureAdObjectId)) return false;
  if (same(a.upn, b.upn) || same(a.sid, b.sid) || same(a.azureAdObjectId, b.azureAdObjectId)) return true;
  const namesMatch = same(a.name, b.name) || same(a.name, b.upn) || same(a.upn, b.name);
  return namesMatch && !conflict(a.domain, b.domain);
}

/** `ws-0231` names the same host as `ws-0231.corp.example`; two different FQDNs do not. */
function sameHostname(a: string, b: string): boolean {
  if (same(a, b)) return true;
  const firstLabel = (name: string) => name.split('.')[0];
  return (!a.includes('.') && same(a, firstLabel(b))) || (!b.includes('.') && same(firstLabel(a), b));
}

function sameHost(a: HostEntity, b: HostEntity): boolean {
  if (a.deviceId !== undefined && b.deviceId !== undefined) return same(a.deviceId, b.deviceId);
  return sameHostname(a.hostname, b.hostname);
}

const HASHES = ['sha256', 'sha1', 'md5'] as const;

/** Same file: a shared hash decides; without comparable hashes, the same name in the same (or an unknown) path. */
function sameFile(a: FileEntity, b: FileEntity): boolean {
  const comparable = HASHES.filter((hash) => a[hash] !== undefined && b[hash] !== undefined);
  if (comparable.length > 0) return comparable.some((hash) => same(a[hash], b[hash]));
  return same(a.name, b.name) && !conflict(a.path, b.path);
}

const isHashOf = (file: FileEntity) => HASHES.some((hash) => same(file[hash], file.name));

/** Collects entities in evidence order; each `add` merges into an equal entity already seen. */
export class AlertEntityCollector {
  private readonly users: UserEntity[] = [];
  private readonly hosts: HostEntity[] = [];
  private readonly ips: IpEntity[] = [];
  private readonly files: FileEntity[] = [];
  private readonly processes: ProcessEntity[] = [];
  private readonly urls: string[] = [];

  addUser(user: UserEntity): void {
    const known = this.users.find((other) => sameUser(other, user));
    if (!known) {
      this.users.push({ ...user });
      return;
    }
    // A recipient address seen first gives way to the account name the mailbox or user evidence carries.
    const betterName = same(known.name, user.upn) && !same(user.name, user.upn);
    fillMissing(known, user);
    if (betterName) known.name = user.name;
  }

  addHost(host: HostEntity): void {
    const ips = host.ips.filter((ip) => validIp(ip) !== undefined);
    const known = this.hosts.find((other) => sameHost(other, host));
    if (!known) {
      this.hosts.push({ ...host, ips: [...new Set(ips)].slice(0, MAX_IPS_PER_HOST) });
      return;
    }
    fillMissing(known, host);
    known.ips = [...new Set([...known.ips, ...ips])].slice(0, MAX_IPS_PER_HOST);
  }

  addIp(ip: IpEntity): void {
    const known = this.ips.find((other) => same(other.address, ip.address));
    if (!known) {
      this.ips.push({ ...ip });
      return;
    }
    if (known.role === 'unknown') known.role = ip.role;
    known.countryCode ??= ip.countryCode;
  }

  addFile(file: FileEntity): void {
    const known = this.files.find((other) => sameFile(other, file));
    if (!known) {
      this.files.push({ ...file });
      return;
    }
    const betterName = isHashOf(known) && !isHashOf(file);
    fillMissing(known, file);
    if (betterName) known.name = file.name;
  }

  addProcess(process: ProcessEntity): void {
    if (Object.values(process).every((value) => value === undefined)) return;
    const known = this.processes.find(
      (other) => other.pid === process.pid && other.commandLine === process.commandLine && !conflict(other.imagePath, process.imagePath),
    );
    if (known) fillMissing(known, process);
    else this.processes.push({ ...process });
  }

  addUrl(url: string): void {
    if (!this.urls.includes(url)) this.urls.push(url);
  }

  /** The entities, each kind cut to the normalised alert's limit. */
  entities(): Entities {
    const capped = <T>(list: T[]) => list.slice(0, MAX_ENTITIES_PER_KIND);
    return {
      users: capped(this.users),
      hosts: capped(this.hosts),
      ips: capped(this.ips),
      files: capped(this.files),
      processes: capped(this.processes),
      urls: capped(this.urls).map((url) => ({ url })),
    };
  }
}
