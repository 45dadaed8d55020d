/** zod schemas of the severities (domain/severity.ts), for the edges; kept apart so the workflow bundle carries no zod. */
import { z } from 'zod';
import { SEVERITIES, VENDOR_SEVERITIES } from './severity';

export const severitySchema = z.enum(SEVERITIES);
export const vendorSeveritySchema = z.enum(VENDOR_SEVERITIES);
