/** Builders of test alerts with unique external ids, so tests never collide on a business key. */
import { randomUUID } from 'node:crypto';
import type { NormalisedAlertInput } from '../../domain/alert';

export function sampleAlert(overrides: Partial<NormalisedAlertInput> = {}): NormalisedAlertInput {
  return {
    tenantId: 'nordwind-handel',
    source: 'edr',
    externalId: `test-${randomUUID()}`,
    title: 'Suspicious access to LSASS memory',
    description: 'procdump.exe created a full memory dump of lsass.exe',
    observedAt: '2026-11-26T08:41:12Z',
    entities: {
      users: [{ name: 'j.becker' }],
      hosts: [{ hostname: 'WS-0231', ips: [] }],
      ips: [],
      files: [],
      processes: [{ commandLine: 'procdump64.exe -accepteula -ma lsass.exe C:\\Users\\Public\\l.dmp', imagePath: 'C:\\Users\\Public\\procdump64.exe' }],
      urls: [],
    },
    ...overrides,
  };
}

/** An alert no starter rule matches. */
export function benignAlert(overrides: Partial<NormalisedAlertInput> = {}): NormalisedAlertInput {
  return sampleAlert({
    title: 'Routine software inventory finished',
    description: 'The inventory agent reported 214 installed packages.',
    entities: { users: [], hosts: [{ hostname: 'WS-0100', ips: [] }], ips: [], files: [], processes: [], urls: [] },
    ...overrides,
  });
}

/** A Defender malware alert on one host of rheinwerk-maschinenbau (AI-assisted isolation booked, R11). */
export function defenderThreat(hostname: string, overrides: Partial<NormalisedAlertInput> = {}): NormalisedAlertInput {
  return sampleAlert({
    tenantId: 'rheinwerk-maschinenbau',
    source: 'defender',
    vendorSeverity: 'high',
    techniques: ['T1003.001'],
    raw: { determination: 'malware', detectionSource: 'microsoftDefenderForEndpoint' },
    entities: { users: [], hosts: [{ hostname, ips: [] }], ips: [], files: [], processes: [], urls: [] },
    ...overrides,
  });
}
