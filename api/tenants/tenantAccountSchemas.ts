/** Request and response schemas of the tenant account endpoints: package changes (R16), fair use (R15), leak findings (R4). */
import { z } from 'zod';
import { packageSchema } from '../../domain/tenant/tenantFieldsSchema';
import { tenantOptionsSchema } from '../../domain/tenant/tenantOptionsSchema';
import { leakFindingSchema, optionChangeSchema, packageChangeSchema } from '../../stores/tenantLedger';
import type { Assert, Describes } from '../http/describes';
import type { AlertReport } from './tenantReports';
import type { PackageChanges } from './packageChanges';
import type { OptionChanges } from './optionChanges';
import type { FairUse } from './fairUse';
import type { LeakFinding } from '../../stores/tenantLedger';

export const tenantParamsSchema = z.object({ tenantId: z.string().meta({ description: 'The tenant id' }) });

export const packageChangeRequestSchema = z
  .strictObject({
    package: packageSchema,
    effectiveDate: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, 'the first day of a month as YYYY-MM-01 (a change takes effect at the end of a month, R16)')
      .optional()
      .describe('The first day under the new package; the earliest possible date when left out.'),
  })
  .meta({ id: 'PackageChangeRequest' });

export const packageChangeListSchema = z
  .object({ packageNow: packageSchema, items: z.array(packageChangeSchema) })
  .meta({ id: 'PackageChangeList' });

const effectiveDateSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, 'the first day of a month as YYYY-MM-01 (a change takes effect at the end of a month, R16)')
  .optional()
  .describe('The first day with the change; the earliest possible date when left out.');

/** R11's package 3 options and the R10 weekend line, each as the tenant file writes it (false or null cancels). */
const option = tenantOptionsSchema.shape;
// Without the file's defaults: an option left out stays as it is.
const r11OptionsSchema = z
  .strictObject({
    twentyFourSeven: option.twentyFourSeven.unwrap().optional(),
    allSeverities: option.allSeverities.unwrap().optional(),
    weeklyReview: option.weeklyReview.unwrap().optional(),
    fixedSocContact: option.fixedSocContact.unwrap().optional(),
    aiIsolation: option.aiIsolation.unwrap().optional(),
    weekendEmergency: option.weekendEmergency.unwrap().optional(),
  })
  .refine((options) => Object.keys(options).length > 0, 'name at least one option: twentyFourSeven, allSeverities, weeklyReview, fixedSocContact, aiIsolation, weekendEmergency');

export const optionChangeRequestSchema = z
  .strictObject({ options: r11OptionsSchema, effectiveDate: effectiveDateSchema })
  .meta({ id: 'OptionChangeRequest' });

export const optionChangeListSchema = z
  .object({ optionsNow: tenantOptionsSchema, items: z.array(optionChangeSchema) })
  .meta({ id: 'OptionChangeList' });

export const fairUseQuerySchema = z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM') });

export const fairUseReportSchema = z
  .object({
    month: z.string(),
    factor: z.number(),
    items: z.array(
      z.object({ tenantId: z.string(), incidents: z.number().int(), baseline: z.number().int(), ratio: z.number(), flagged: z.boolean() }),
    ),
  })
  .meta({ id: 'FairUseReport' });

export const leakFindingListSchema = z.object({ items: z.array(leakFindingSchema) }).meta({ id: 'LeakFindingList' });

const daySchema = z.iso.date({ error: 'a day as YYYY-MM-DD' });

export const alertReportQuerySchema = z.strictObject({
  from: daySchema.describe('First day (German time), inclusive.'),
  to: daySchema.describe('Last day (German time), exclusive.'),
  format: z.enum(['json', 'csv']).default('json'),
});

export const alertReportSchema = z
  .object({
    tenantId: z.string(),
    from: z.string(),
    to: z.string(),
    total: z.number().int(),
    bySeverity: z.record(z.string(), z.number().int()),
    byState: z.record(z.string(), z.number().int()),
    bySource: z.record(z.string(), z.number().int()),
    groups: z.array(z.object({ severity: z.string(), state: z.string(), source: z.string(), count: z.number().int() })),
  })
  .meta({ id: 'AlertReport' });

export const weeklyReviewQuerySchema = z.strictObject({ week: daySchema.describe('The Monday the week starts on.') });

export { optionChangeSchema, packageChangeSchema };

/** Compile-time: each response schema here publishes its domain type exactly (api/http/describes.ts). */
export type TenantAccountSchemasDescribeDomain = [
  Assert<Describes<typeof packageChangeListSchema, Awaited<ReturnType<PackageChanges['list']>>>>,
  Assert<Describes<typeof optionChangeListSchema, Awaited<ReturnType<OptionChanges['list']>>>>,
  Assert<Describes<typeof fairUseReportSchema, Awaited<ReturnType<FairUse['report']>>>>,
  Assert<Describes<typeof leakFindingListSchema, { items: LeakFinding[] }>>,
  Assert<Describes<typeof alertReportSchema, AlertReport>>,
];
