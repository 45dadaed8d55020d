/**
 * A validated playbook as the engine runs it: plain data (it travels in workflow history), produced only by the
 * loader in `loadPlaybooks.ts` from the YAML files under `playbooks/`.
 */
import type { ActionName } from '../response/actionCatalog';

/** Typed references: no expression language. Each yields targets of one kind (see `TargetKind`). */
export type TargetRef =
  /** Every entity of that kind in the alert (`source` is the vendor alert itself). */
  | { alert: 'users' | 'hosts' | 'ips' | 'files' | 'source' }
  /** Every firewall source of the tenant that has a block list configured (R12). */
  | { tenant: 'firewalls' }
  /** A named output of an earlier step (all its results, when that step ran over several targets). */
  | { step: string; output: string };

export interface PlaybookStep {
  id: string;
  action: ActionName;
  /** For people: what this step is for. */
  title: string;
  target: TargetRef;
  /** Set exactly when the action needs a subject (the IP to block, the file to quarantine). */
  subject: TargetRef | null;
  /** Parsed with `ACTION_PARAMS[action]`, defaults applied. */
  params: Record<string, unknown>;
  /** Steps that must have finished first, besides those referred to by `target` and `subject`. */
  after: string[];
  /** An analyst approves each action of this step even where the release matrix does not ask for it. */
  requiresApproval: boolean;
  /** Undo this step's measures by themselves when the run fails; otherwise containment stays until an analyst asks (absent in older inputs). */
  undoOnFailure?: boolean;
}

export interface PlaybookDefinition {
  /** The file name without `.yaml`, a slug. */
  id: string;
  /** Bumped by the author on every change; recorded with every run. */
  version: number;
  title: string;
  description: string;
  /** In an order where every step comes after the steps it depends on (the file's order where it allows). */
  steps: PlaybookStep[];
  /** `sha256:<hex>` of the file's bytes: which exact text ran (R18). */
  digest: string;
  /** Path relative to the playbooks folder. */
  file: string;
  /** The stored revision an admin put in force at run time (stores/versionStore.ts); absent: the file as loaded. */
  revision?: number;
}
