/**
 * What a what-if run reports: only the recorded alerts the proposed change would decide differently, and how. The
 * report is a pure function of the recorded alerts and the change (no clock, stable order), so the same question
 * gives the same file, which a reviewer attaches to the change.
 */
import { canonicalJson } from '../workflows/playbook/actionDigest';

export type ChangeKind = 'rules' | 'playbook' | 'tenant';

/** One decision before and after, in words a reviewer reads. */
export interface Decision {
  old: string;
  new: string;
}

export interface AlertDifference {
  alertId: string;
  receivedAt: string;
  /** R2: severity and the rule (or vendor severity, or default) that decides it. */
  classification?: { old: { severity: string; decidedBy: string }; new: { severity: string; decidedBy: string } };
  /** R7-R11: whether measures may follow at all, judged at the alert's receipt. */
  response?: Decision;
  /** R8: each measure the release matrix (or the playbook) would now allow, refuse or leave out. */
  measures?: (Decision & { measure: string })[];
  /** R6, R8: who would be told, by purpose. */
  notifications?: (Decision & { purpose: string })[];
}

export interface WhatIfReport {
  change: { kind: ChangeKind; name: string; digest: string };
  tenantId: string;
  /** The period as asked (e.g. `30d`) and the receipt times of the oldest and newest alert considered. */
  period: { since: string; first: string | null; last: string | null };
  alertsConsidered: number;
  alertsDiffering: number;
  differences: AlertDifference[];
}

export function sortedDifferences(differences: AlertDifference[]): AlertDifference[] {
  return [...differences].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.alertId.localeCompare(b.alertId));
}

/** The file: canonical JSON (keys sorted at every level), one trailing newline. */
export function reportFile(report: WhatIfReport): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(report)), null, 2)}\n`;
}
