/** Sigma's five rule levels, their order, and how they map onto the contract's four severities (R2). */
import type { Severity } from './severity';

export const SIGMA_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SigmaLevel = (typeof SIGMA_LEVELS)[number];

/** `informational` has no contract meaning of its own: it is the lowest severity, `low`. */
export const SEVERITY_OF_LEVEL = {
  informational: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
} as const satisfies Record<SigmaLevel, Severity>;

export function severityOfSigmaLevel(level: SigmaLevel): Severity {
  return SEVERITY_OF_LEVEL[level];
}

/** Rank for ordering: `informational` 0 up to `critical` 4. */
export function levelRank(level: SigmaLevel): number {
  return SIGMA_LEVELS.indexOf(level);
}
