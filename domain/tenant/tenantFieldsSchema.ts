/** The fields of a tenant file, each checked on its own; rules across fields are in tenantRules.ts. */
import { z } from 'zod';
import { DEFAULT_LANGUAGE, LANGUAGES } from '../i18n/language';
import { slugSchema } from '../alert';
import { contactSchema } from './contactSchema';
import { credentialsSchema } from './credentialsSchema';
import { escalationSchema } from './escalationSchema';
import { webhookSchema } from './webhookSchema';
import { releaseMatrixSchema } from './releaseMatrixSchema';
import { sourceSchema } from './sourceSchema';
import { tenantOptionsSchema } from './tenantOptionsSchema';

export const TENANT_PACKAGES = [1, 2, 3] as const;
// A union of single literals, not z.literal([1, 2, 3]): the OpenAPI generator renders a multi-value literal as its first value only.
export const packageSchema = z.union(
  TENANT_PACKAGES.map((p) => z.literal(p)),
  { error: 'package must be 1, 2 or 3' },
);

const mailDomainSchema = z
  .string()
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a lower-case domain name like mueller-logistik.example');

export const tenantFieldsSchema = z
  .strictObject({
    id: slugSchema.describe('The tenant id; must equal the file name without .yaml.'),
    name: z.string().min(1).max(200).describe('The customer company.'),
    package: packageSchema.describe('The booked service package: 1 automation only, 2 analysts in support hours, 3 with package 3 options.'),
    options: tenantOptionsSchema.prefault({}),
    contacts: z.array(contactSchema).default([]),
    sources: z.array(sourceSchema).min(1, 'a tenant needs at least one connected source (R1)').describe('Connected and approved sources (R1).'),
    mailDomain: mailDomainSchema.describe('Main e-mail domain, checked weekly against breach data (R4).'),
    retentionDays: z.number().int().min(1).max(3650).default(90).describe('Days event data is kept (R14); 90 unless agreed otherwise.'),
    fairUse: z
      .strictObject({ monthlyIncidentBaseline: z.number().int().positive().describe('Incidents per month the package level expects.') })
      .describe('Usage far above the baseline is flagged (R15).'),
    language: z
      .enum(LANGUAGES)
      .default(DEFAULT_LANGUAGE)
      .describe('The language of everything the customer receives or reads: de (German, the default) or en (English).'),
    escalation: escalationSchema.optional(),
    releaseMatrix: releaseMatrixSchema.prefault({}),
    credentials: credentialsSchema.optional(),
    webhooks: z.array(webhookSchema).max(5).optional().describe('Signed outbound webhooks for the tenant\'s ticket system (docs/integrations.md).'),
  })
  .meta({ title: 'SOAR tenant configuration', description: 'One customer company (tenant) of the managed SOC: config/tenants/<id>.yaml.' });

export type TenantFields = z.output<typeof tenantFieldsSchema>;
