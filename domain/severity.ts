/** The contract's four severities (R2) and how other scales map onto them. Plain data: workflow code imports it (zod schemas: severitySchema.ts). */

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Scales that vendors and Sigma use; `informational` and `unknown` have no contract meaning of their own. */
export const VENDOR_SEVERITIES = ['unknown', 'informational', 'low', 'medium', 'high', 'critical'] as const;
export type VendorSeverity = (typeof VENDOR_SEVERITIES)[number];

/** Rank for ordering: a higher number needs faster action. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}
