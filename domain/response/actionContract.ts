/** What a playbook workflow hands a response activity and what it gets back: small, serialisable, no secrets. */
import type { ActionName } from './actionCatalog';
import type { ResolvedTarget } from './targets';

export interface ActionRequest {
  tenantId: string;
  alertId: string;
  /** Unique per action within the playbook run (`<run id>/<step id>/<n>`): logs, vendor comments, idempotency. */
  requestKey: string;
  action: ActionName;
  target: ResolvedTarget;
  /** The second thing the action needs (the IP to block, the file to quarantine), or null. */
  subject: ResolvedTarget | null;
  /** Parameters as parsed by `ACTION_PARAMS[action]` at load (defaults applied). */
  params: Record<string, unknown>;
  /** Recorded with the action at the vendor (Defender's Comment, the alert comment): names the SOC and the run. */
  comment: string;
}

export interface ActionResult {
  /** `already_done` when a check before the call found the change in place (a retry after a crash, a disabled user). */
  outcome: 'done' | 'already_done';
  /** One line for the timeline and the decision trail. */
  detail: string;
  /** The vendor's id of what it did (a MachineAction id, a firewall address object), or null. */
  vendorReference: string | null;
  /** Named outputs (see `ActionSpec.outputs`), e.g. `machine` from defender.findMachine. */
  outputs: Record<string, ResolvedTarget>;
}

/** One response activity: carries a catalogue action out at its vendor. */
export type VendorActivity = (request: ActionRequest) => Promise<ActionResult>;

/**
 * The response activities, by name: the interface the catalogue's actions name (`ActionSpec.activity` is a key of it),
 * the workflows call through `proxyActivities` and `activities/response` implements. A renamed activity fails to compile.
 */
export interface ResponseActivities {
  m365DisableUser: VendorActivity;
  m365EnableUser: VendorActivity;
  m365RevokeSessions: VendorActivity;
  m365ConfirmCompromised: VendorActivity;
  m365CommentAlert: VendorActivity;
  m365UpdateAlert: VendorActivity;
  defenderFindMachine: VendorActivity;
  defenderIsolateDevice: VendorActivity;
  defenderReleaseDevice: VendorActivity;
  defenderStopAndQuarantineFile: VendorActivity;
  defenderRunAntivirusScan: VendorActivity;
  firewallBlockIp: VendorActivity;
  firewallUnblockIp: VendorActivity;
  /** The target's groups (user: transitive directory groups; host: machine tags and device group) and identifiers. */
  lookUpTarget(input: { tenantId: string; target: ResolvedTarget }): Promise<TargetFacts>;
  /** R11: the alert as the vendor (Graph alerts_v2) holds it, or null when the vendor knows no alert with this id. */
  fetchVendorAlert(input: { tenantId: string; externalId: string }): Promise<VendorAlertFacts | null>;
}

/** The response activities that carry out a catalogue action (every one but the look-ups). */
export type ActionActivityName = Exclude<keyof ResponseActivities, 'lookUpTarget' | 'fetchVendorAlert'>;

/** What the release-matrix check needs to know about a target beyond its name: its groups (R8). */
export interface TargetFacts {
  /** The target with identifiers filled in (object id, machine id) where the lookup found them. */
  target: ResolvedTarget;
  /** Directory groups of a user, or machine tags and device group of a host; empty for other kinds. */
  groups: string[];
  /** True when the vendor knows no such user or host. */
  found: boolean;
  /**
   * Who the vendor says the target is (users and hosts): its UPN or DNS name (null when it has none) and, for users, the
   * mail aliases (`mail`, `proxyAddresses`). Absent in results recorded before targets were verified.
   */
  identity?: { name: string | null; aliases: string[] };
}

/**
 * R11: what the vendor itself says about an alert, fetched by the alert's id (Graph `alerts_v2`), so that automatic
 * isolation scores facts the engine verified, not fields of a body whoever holds an ingest key could write.
 */
export interface VendorAlertFacts {
  /** Graph's severity: unknown, informational, low, medium, high. */
  severity: string;
  /** Graph's determination, else its classification; null when neither is set. */
  verdict: string | null;
  detectionSource: string | null;
  techniques: string[];
  /** DNS names of the devices in the alert's evidence (`deviceEvidence.deviceDnsName`), lower case. */
  deviceNames: string[];
}

/** Failure types of response activities; every one is non-retryable (a retry cannot change the answer). */
export const RESPONSE_FAILURE_TYPES = [
  /** The vendor refused the request for good (4xx other than 429): its message is kept, an analyst takes over. */
  'VendorRefused',
  /** No credentials, endpoint or block list is configured for this tenant and integration. */
  'IntegrationNotConfigured',
  /** The vendor knows no such user, machine or alert. */
  'TargetNotFound',
  /** A Defender MachineAction ended Failed, TimeOut or Cancelled. */
  'MachineActionFailed',
  /** The engine refused the target before calling the vendor (an internal IP, the firewall's own address). */
  'UnsafeTarget',
] as const;
export type ResponseFailureType = (typeof RESPONSE_FAILURE_TYPES)[number];
