/**
 * The playbook actions the engine knows (R8): for each, the activity that carries it out, what it acts on, the
 * release-matrix permission it needs and its undo. Pure data, read by the playbook loader and by workflows; the
 * parameter and output schemas live beside it in `actionSchemas.ts`.
 */
import type { ActionActivityName } from './actionContract';
import type { TargetKind } from './targets';

export interface ActionSpec {
  /** The activity that carries the action out: a key of `ResponseActivities` (implemented in `activities/response`). */
  activity: ActionActivityName;
  /** What the release matrix governs: the user, host or firewall acted on (or the vendor alert, for bookkeeping). */
  target: TargetKind;
  /** A second thing the action needs, e.g. the IP to block on a firewall or the file to quarantine on a host. */
  subject: TargetKind | null;
  /**
   * True for a measure on the customer's systems: checked against the release matrix, told to the customer first
   * (R8), only in service (R9). False for SOC bookkeeping and read-only lookups (commenting on the vendor alert).
   */
  measure: boolean;
  /** The release-matrix action whose rule allows it (an undo is allowed by the measure it undoes). */
  permission: string | null;
  /** The action that undoes this one, registered when it succeeds (a name in this catalogue; a test checks it). */
  undo: string | null;
  /** Only run by the engine as an undo, never named in a playbook. */
  undoOnly: boolean;
  /** Named outputs a later step can refer to, with the kind of target each yields. */
  outputs: Readonly<Record<string, TargetKind>>;
  /** The vendor runs it as a job the activity follows to its end (Defender MachineActions): a longer, heartbeating profile. */
  followsVendorJob: boolean;
  /** One line for people: what the vendor is asked to do. */
  summary: string;
}

const spec = (s: Partial<ActionSpec> & Pick<ActionSpec, 'activity' | 'target' | 'summary'>): ActionSpec => ({
  subject: null,
  measure: true,
  permission: null,
  undo: null,
  undoOnly: false,
  outputs: {},
  followsVendorJob: false,
  ...s,
});

export const ACTIONS = {
  'm365.disableUser': spec({
    activity: 'm365DisableUser',
    target: 'user',
    permission: 'm365.disableUser',
    undo: 'm365.enableUser',
    summary: 'Disable the Entra ID account (accountEnabled=false)',
  }),
  'm365.enableUser': spec({
    activity: 'm365EnableUser',
    target: 'user',
    permission: 'm365.disableUser',
    undoOnly: true,
    summary: 'Re-enable the Entra ID account',
  }),
  'm365.revokeSessions': spec({
    activity: 'm365RevokeSessions',
    target: 'user',
    permission: 'm365.revokeSessions',
    summary: 'Revoke all sign-in sessions and refresh tokens of the account',
  }),
  'm365.confirmCompromised': spec({
    activity: 'm365ConfirmCompromised',
    target: 'user',
    permission: 'm365.confirmCompromised',
    summary: 'Mark the account as compromised in Entra ID Protection (risk high)',
  }),
  'm365.commentAlert': spec({
    activity: 'm365CommentAlert',
    target: 'alert',
    measure: false,
    summary: 'Comment on the Microsoft 365 Defender alert',
  }),
  'm365.updateAlert': spec({
    activity: 'm365UpdateAlert',
    target: 'alert',
    measure: false,
    summary: 'Update the status and classification of the Microsoft 365 Defender alert',
  }),
  'defender.findMachine': spec({
    activity: 'defenderFindMachine',
    target: 'host',
    measure: false,
    outputs: { machine: 'host' },
    summary: 'Find the Defender for Endpoint machine by its DNS name',
  }),
  'defender.isolateDevice': spec({
    activity: 'defenderIsolateDevice',
    followsVendorJob: true,
    target: 'host',
    permission: 'defender.isolateDevice',
    undo: 'defender.releaseDevice',
    summary: 'Isolate the device from the network (Defender for Endpoint)',
  }),
  'defender.releaseDevice': spec({
    activity: 'defenderReleaseDevice',
    followsVendorJob: true,
    target: 'host',
    permission: 'defender.isolateDevice',
    undoOnly: true,
    summary: 'Release the device from isolation',
  }),
  'defender.stopAndQuarantineFile': spec({
    activity: 'defenderStopAndQuarantineFile',
    followsVendorJob: true,
    target: 'host',
    subject: 'file',
    permission: 'defender.stopAndQuarantineFile',
    summary: 'Stop every process running the file and quarantine it (stops the malicious process)',
  }),
  'defender.runAntivirusScan': spec({
    activity: 'defenderRunAntivirusScan',
    followsVendorJob: true,
    target: 'host',
    permission: 'defender.runAntivirusScan',
    summary: 'Run a Microsoft Defender Antivirus scan on the device',
  }),
  'firewall.blockIp': spec({
    activity: 'firewallBlockIp',
    target: 'firewall',
    subject: 'ip',
    permission: 'firewall.blockIp',
    undo: 'firewall.unblockIp',
    summary: 'Add the IP address to the block list a deny rule of the firewall uses',
  }),
  'firewall.unblockIp': spec({
    activity: 'firewallUnblockIp',
    target: 'firewall',
    subject: 'ip',
    permission: 'firewall.blockIp',
    undoOnly: true,
    summary: 'Remove the IP address from the firewall block list',
  }),
} as const satisfies Record<string, ActionSpec>;

export type ActionName = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(ACTIONS, name);
}

export function actionSpec(name: ActionName): ActionSpec {
  return ACTIONS[name];
}

/** The undo of an action, if it has one. */
export function undoOf(name: ActionName): ActionName | null {
  const undo = actionSpec(name).undo;
  return undo !== null && isActionName(undo) ? undo : null;
}

/** The release-matrix action names a tenant file may list: the permissions of the known measures. */
export const MATRIX_PERMISSIONS: readonly string[] = [...new Set(Object.values(ACTIONS).flatMap((a: ActionSpec) => (a.permission ? [a.permission] : [])))];
