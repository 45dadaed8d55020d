/** What a playbook action acts on, resolved from the alert, the tenant or an earlier step: plain data, safe in history. */

/** The kinds a typed reference can yield; each action declares which kind its target and subject must be. */
export const TARGET_KINDS = ['user', 'host', 'ip', 'file', 'alert', 'firewall'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface UserTarget {
  kind: 'user';
  /** User principal name (sign-in name), lower case; what the release matrix matches. */
  upn: string;
  /** Entra ID object id, when known. */
  objectId?: string;
}

export interface HostTarget {
  kind: 'host';
  /** Host or DNS name as the alert named it, lower case; what the release matrix matches. */
  hostname: string;
  /** Defender for Endpoint machine id, when known. */
  machineId?: string;
}

export interface IpTarget {
  kind: 'ip';
  address: string;
}

export interface FileTarget {
  kind: 'file';
  name: string;
  sha1?: string;
  sha256?: string;
}

/** The vendor alert the incident came from (Graph alerts_v2 id = the alert's external id). */
export interface AlertTarget {
  kind: 'alert';
  source: string;
  externalId: string;
}

/** One of the tenant's firewall sources (R12); its API address and block list come from the tenant file. */
export interface FirewallTarget {
  kind: 'firewall';
  sourceId: string;
  vendor: 'opnsense' | 'fortigate';
}

export type ResolvedTarget = UserTarget | HostTarget | IpTarget | FileTarget | AlertTarget | FirewallTarget;
export type TargetOfKind<K extends TargetKind> = Extract<ResolvedTarget, { kind: K }>;

/** A short, stable label for timelines and notifications: `user j.becker@…`, `host ws-0042`, `firewall opnsense-fw1`. */
export function describeTarget(target: ResolvedTarget): string {
  switch (target.kind) {
    case 'user':
      return `user ${target.upn}`;
    case 'host':
      return `host ${target.hostname}`;
    case 'ip':
      return `IP ${target.address}`;
    case 'file':
      return `file ${target.name}${target.sha1 ? ` (SHA-1 ${target.sha1})` : ''}`;
    case 'alert':
      return `alert ${target.externalId} (${target.source})`;
    case 'firewall':
      return `firewall ${target.sourceId}`;
  }
}
