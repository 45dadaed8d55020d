/** A tenant's outbound webhooks (its ticket system following its alerts): address, signing secret as a reference, events. */
import { z } from 'zod';
import { LIFECYCLE_EVENTS } from '../webhooks/lifecycleEvents';
import { secretRefSchema } from './credentialsSchema';

export const webhookSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a short id of lower-case letters, digits and dashes').describe('Names the webhook in deliveries.'),
    url: z.url({ protocol: /^https$/, error: 'an https URL' }).describe('Where the events are posted (https only).'),
    secretRef: secretRefSchema.describe('The HMAC-SHA256 signing secret, shared with the receiver: env:NAME or file:/path.'),
    events: z.array(z.enum(LIFECYCLE_EVENTS)).min(1).optional().describe('The events sent; all when absent.'),
  })
  .describe('A signed outbound webhook (docs/integrations.md).');

export type TenantWebhook = z.output<typeof webhookSchema>;
