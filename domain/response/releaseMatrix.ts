/**
 * The release-matrix decision (R8): may this measure touch this user, host or firewall? Pure and deterministic (no
 * Node built-ins, no zod, no I/O): it runs inside playbook workflows and replays to the same answer (R18).
 *
 * How rules combine, for the one permission asked about:
 * - no rule for the permission: denied (the matrix default is always deny);
 * - an exception (`except.users`, `except.hosts`) of any rule for the permission that matches the target: denied,
 *   even when another rule would allow it; exceptions name systems that are never touched (break-glass accounts, servers);
 * - otherwise allowed when at least one rule's targets cover the target. When several rules cover it, the most
 *   restrictive wins: approval is required when any of them requires it, and `rule` names that rule (else the first).
 */
import type { ReleaseMatrix, ReleaseRule } from '../tenant/releaseMatrixSchema';
import { describeTarget, type ResolvedTarget } from './targets';

export type ReleaseDecision =
  /** `rule` is the index in `matrix.rules`; `reason` counts rules from 1, as people read the tenant file. */
  | { allowed: true; requiresApproval: boolean; rule: number; reason: string }
  | { allowed: false; reason: string };

export interface ReleaseFacts {
  /** Directory groups of a user, or machine tags and device groups of a host, as the vendor lookup found them. */
  groups: string[];
}

interface Coverage {
  index: number;
  rule: ReleaseRule;
  /** What in the rule covers the target, e.g. `users pattern *@acme.example`. */
  by: string;
}

export function decideRelease(matrix: ReleaseMatrix, permission: string, target: ResolvedTarget, facts: ReleaseFacts): ReleaseDecision {
  const rules = matrix.rules.flatMap((rule, index) => (rule.action === permission ? [{ rule, index }] : []));
  if (rules.length === 0) return { allowed: false, reason: `R8: the release matrix allows no ${permission}` };
  const label = describeTarget(target);

  for (const { rule, index } of rules) {
    const exception = matchingException(rule, target);
    if (exception !== undefined) {
      return { allowed: false, reason: `R8: ${label} matches the exception ${exception} of rule ${index + 1} (${permission})` };
    }
  }

  const covering = rules.flatMap(({ rule, index }): Coverage[] => {
    const by = coveredBy(rule, target, facts);
    return by === undefined ? [] : [{ index, rule, by }];
  });
  const chosen = covering.find((c) => c.rule.requiresApproval) ?? covering[0];
  if (!chosen) {
    const numbers = rules.map(({ index }) => index + 1).join(', ');
    return { allowed: false, reason: `R8: ${label} is not covered by the targets of ${rules.length === 1 ? 'rule' : 'rules'} ${numbers} (${permission})` };
  }
  const approval = chosen.rule.requiresApproval ? 'an analyst approves first' : 'no approval required';
  return {
    allowed: true,
    requiresApproval: chosen.rule.requiresApproval,
    rule: chosen.index,
    reason: `R8: ${label} matches ${chosen.by} of rule ${chosen.index + 1} (${permission}); ${approval}`,
  };
}

/** Measures whose approval needs a second person unless the tenant's rule says `fourEyes: false`. */
export const FOUR_EYES_BY_DEFAULT: readonly string[] = ['m365.disableUser', 'defender.isolateDevice'];

/** Whether the approver of a measure the rule allowed must be someone else than the analyst who started the run. */
export function fourEyesRequired(rule: ReleaseRule): boolean {
  return rule.fourEyes ?? FOUR_EYES_BY_DEFAULT.includes(rule.action);
}

/** The exception pattern of the rule the target matches, if any. */
function matchingException(rule: ReleaseRule, target: ResolvedTarget): string | undefined {
  if (target.kind === 'user') return rule.except?.users?.find((pattern) => globMatches(pattern, target.upn));
  if (target.kind === 'host') return rule.except?.hosts?.find((pattern) => globMatches(pattern, target.hostname));
  return undefined;
}

/** What of the rule's targets covers the target, or undefined. */
function coveredBy(rule: ReleaseRule, target: ResolvedTarget, facts: ReleaseFacts): string | undefined {
  const { targets } = rule;
  const inGroups = (names: readonly string[] | undefined) => names?.find((name) => facts.groups.some((group) => group.toLowerCase() === name.toLowerCase()));
  switch (target.kind) {
    case 'user': {
      const pattern = targets.users?.find((p) => globMatches(p, target.upn));
      if (pattern !== undefined) return `users pattern ${pattern}`;
      const group = inGroups(targets.groups);
      return group === undefined ? undefined : `group ${group}`;
    }
    case 'host': {
      const pattern = targets.hosts?.find((p) => globMatches(p, target.hostname));
      if (pattern !== undefined) return `hosts pattern ${pattern}`;
      const group = inGroups(targets.hostGroups);
      return group === undefined ? undefined : `host group ${group}`;
    }
    case 'firewall':
      return targets.firewalls?.includes(target.sourceId) ? `firewall ${target.sourceId}` : undefined;
    default:
      // IPs, files and vendor alerts are never what a measure is released for: the matrix governs users, hosts, firewalls.
      return undefined;
  }
}

/**
 * Case-insensitive glob with `*` (any run of characters, dots and `@` included) and `?` (one character); nothing else
 * is special. Deliberately not a path-glob library: UPNs and host names are not paths, and such libraries give `/`,
 * `{}`, `[]`, `!` and `@(...)` meanings a pattern written at onboarding must not silently get.
 */
export function globMatches(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  let pi = 0;
  let vi = 0;
  // Where the last `*` was and which value position it currently swallows up to: backtrack there on a mismatch.
  let star = -1;
  let resume = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      resume = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}
