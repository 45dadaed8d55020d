/** The what-if question end to end: the tenant's recorded alerts of the period, each re-decided with the change. */
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { displayName, type ProposedChange } from './proposedChange';
import { recordedAlerts } from './recordedAlerts';
import { redecide } from './redecide';
import { sortedDifferences, type AlertDifference, type WhatIfReport } from './whatIfReport';

const PERIOD = /^([1-9]\d{0,2})([dh])$/;

/** `30d` or `12h` as milliseconds; null for anything else (at most 999 days or hours). */
export function periodMs(since: string): number | null {
  const match = PERIOD.exec(since);
  if (!match) return null;
  return Number(match[1]) * (match[2] === 'd' ? 86_400_000 : 3_600_000);
}

export async function whatIf(client: Client, codec: PayloadCodec, question: { tenantId: string; since: string; change: ProposedChange; now: Date }): Promise<WhatIfReport> {
  const ms = periodMs(question.since);
  if (ms === null) throw new RangeError(`since must be a period like 30d or 12h, not '${question.since}'`);
  const alerts = await recordedAlerts(client, codec, { tenantId: question.tenantId, since: new Date(question.now.getTime() - ms) });
  const differences: AlertDifference[] = [];
  for (const alert of alerts) {
    const difference = await redecide(alert, question.change.applied);
    if (difference) differences.push(difference);
  }
  const { kind, name, digest } = question.change;
  return {
    change: { kind, name: displayName(name), digest },
    tenantId: question.tenantId,
    period: { since: question.since, first: alerts[0]?.receivedAt ?? null, last: alerts.at(-1)?.receivedAt ?? null },
    alertsConsidered: alerts.length,
    alertsDiffering: differences.length,
    differences: sortedDifferences(differences),
  };
}
