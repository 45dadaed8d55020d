/**
 * Options booked or cancelled with an effective date (R16). The R11 options are what package 3 adds to package 2
 * ("Zusätzlich zu Paket 2 können folgende Optionen ... zugebucht werden"), so booking or cancelling one changes the
 * package level: like a package change ("Ein Paketwechsel ist jeweils zum Monatsende mit fünf Werktagen Vorlauf
 * möglich") it takes effect at the end of a month with five Werktage of notice (decided by `decidePackageChange`).
 * The weekend emergency line (R10, "Zubuchbare Optionen") follows the same rule. The firewall option (R12) is not
 * changed this way: it comes with firewall sources and matrix rules in the tenant file.
 */
import { PACKAGE_3_OPTIONS, type TenantOptions } from './tenant/tenantOptionsSchema';

/** The options a change request may book or cancel. */
export const CHANGEABLE_OPTIONS = [...PACKAGE_3_OPTIONS, 'weekendEmergency'] as const;
export type ChangeableOption = (typeof CHANGEABLE_OPTIONS)[number];

/** A recorded change of one option: from `effectiveFrom` on the option has `setting` (false or null: cancelled). */
export interface ScheduledOptionChange {
  option: ChangeableOption;
  setting: TenantOptions[ChangeableOption];
  effectiveFrom: string;
}

/** The options in force at `at`: the tenant file's, with every change already in effect applied in date order. */
export function optionsOn(fileOptions: TenantOptions, changes: readonly ScheduledOptionChange[], at: Date): TenantOptions {
  const inEffect = changes.filter((c) => Date.parse(c.effectiveFrom) <= at.getTime()).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  if (inEffect.length === 0) return fileOptions;
  const options: Record<string, unknown> = { ...fileOptions };
  for (const change of inEffect) options[change.option] = change.setting;
  return options as TenantOptions;
}
