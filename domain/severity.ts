/** The contract's four severities (R2) and how other scales map onto them. */
import { z } from 'zod';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

/** Scales that vendors and Sigma use; `informational` and `unknown` have no contract meaning of their own. */
export const VENDOR_SEVERITIES = ['unknown', 'informational', 'low', 'medium', 'high', 'critical'] as const;
export const vendorSeveritySchema = z.enum(VENDOR_SEVERITIES);
export type VendorSeverity = z.infer<typeof vendorSeveritySchema>;

/** Rank for ordering: a higher number needs faster action. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}
