/** Request and response schemas of the work-order routes: the one source of their types and OpenAPI entries. */
import { z } from 'zod';
import { slugSchema } from '../../domain/alert';
import { billableWorkOrderSchema } from '../../domain/workOrder';
import type { Assert, Describes } from '../http/describes';
import type { BillableWorkOrder } from '../../domain/workOrder';

export const workOrderRequestSchema = z
  .strictObject({
    tenantId: slugSchema.optional(),
    alertId: z.string().regex(/^alert\.[a-z0-9-]+\.[a-z0-9-]+\.[0-9a-f]{32}$/, 'an alert id as this API returns it').optional(),
    description: z.string().min(1).max(4000),
    /** Makes a retried request land on the same work order. */
    requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
  })
  .meta({ id: 'WorkOrderRequest' });

export const workOrderSchema = billableWorkOrderSchema.meta({ id: 'WorkOrder' });

export const workOrderListQuerySchema = z.strictObject({
  tenantId: slugSchema.optional(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM').optional(),
  format: z.enum(['json', 'csv']).default('json').describe('csv: a download for the accounts'),
});

export const workOrderListSchema = z.object({ items: z.array(workOrderSchema) }).meta({ id: 'WorkOrderList' });

/** Compile-time: each response schema here publishes its domain type exactly (api/http/describes.ts). */
export type WorkOrderSchemasDescribeDomain = [
  Assert<Describes<typeof workOrderSchema, BillableWorkOrder>>,
];
