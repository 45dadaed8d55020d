/** The options a tenant has booked on top of its package (R10, R11, R12). */
import { z } from 'zod';

/** Analyst ids as the SOC names its people, e.g. `a.schmidt`. */
export const analystIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/, 'an analyst id: lower-case letters, digits, dots and hyphens, like a.schmidt');

const fixedSocContactSchema = z
  .strictObject({
    analyst: analystIdSchema.describe('The analyst alerts are routed to first (R11).'),
    weekdaysOnly: z.literal(true, { error: 'weekdaysOnly is always true: the fixed SOC contact serves weekdays only (R11)' }).default(true),
  })
  .describe('A fixed SOC contact on weekdays (R11, package 3 option).');

const aiIsolationSchema = z
  .strictObject({
    confidenceThreshold: z
      .number()
      .min(0, 'a confidence between 0 and 1')
      .max(1, 'a confidence between 0 and 1')
      .describe('Isolate an endpoint automatically only at or above this confidence (R11).'),
    maxPerHour: z
      .number()
      .int()
      .min(1, 'at least one automatic isolation per hour')
      .max(100)
      .default(3)
      .describe('Automatic isolations per hour for this tenant; beyond them a human decides (a forged or runaway feed cannot isolate the whole estate).'),
  })
  .describe('AI-assisted endpoint isolation (R11, package 3 option).');

export const tenantOptionsSchema = z
  .strictObject({
    firewall: z.boolean().default(false).describe('Firewall option: firewall logs and firewall measures (R12), any package.'),
    weekendEmergency: z.boolean().default(false).describe('Weekend emergency option (R10), packages 2 and 3.'),
    twentyFourSeven: z.boolean().default(false).describe('24/7 availability including DE-NW holidays (R11).'),
    allSeverities: z.boolean().default(false).describe('Handling of incidents of every severity, fair use applies (R11, R15).'),
    weeklyReview: z.boolean().default(false).describe('A weekly 30-minute review; the engine prepares its report (R11).'),
    fixedSocContact: fixedSocContactSchema.nullable().default(null),
    aiIsolation: aiIsolationSchema.nullable().default(null),
  })
  .describe('Booked options; everything not booked is false or null.');

export type TenantOptions = z.output<typeof tenantOptionsSchema>;

/** The package 3 options of R11: bookable on package 2 and 3, never on package 1. */
export const PACKAGE_3_OPTIONS = ['twentyFourSeven', 'allSeverities', 'weeklyReview', 'fixedSocContact', 'aiIsolation'] as const;
export type Package3Option = (typeof PACKAGE_3_OPTIONS)[number];

/** True when the option is booked: a `true` flag or a non-null setting. */
export function isBooked(options: TenantOptions, option: keyof TenantOptions): boolean {
  const value = options[option];
  return value !== false && value !== null;
}
