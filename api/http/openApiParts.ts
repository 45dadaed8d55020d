/** Pieces every OpenAPI path entry shares: a JSON response and the standard refusals. */
import type { z } from 'zod';
import { errorSchema } from './schemas';

export const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

export const refusals = {
  400: json(errorSchema, 'Malformed JSON or a schema violation; `issues` names each field'),
  401: json(errorSchema, 'No or an invalid API key'),
  403: json(errorSchema, 'The key\'s role may not do this'),
  404: json(errorSchema, 'No such alert, run, playbook or tenant; another tenant\'s is reported as absent (R17), with the same answer'),
  409: json(errorSchema, 'The decision does not fit the current state; the message says why'),
  413: json(errorSchema, 'The body is larger than the configured limit'),
  415: json(errorSchema, 'The body is not declared as JSON'),
  422: json(errorSchema, 'Unknown tenant, or a source not registered for it (R1)'),
  503: json(errorSchema, 'The workflow service is unavailable; retry (re-sending is safe)'),
};

/** A tenant filter naming a tenant the key may not see: the same answer as a tenant that does not exist (R17). */
export const tenantAbsent = json(errorSchema, 'The tenant filter names another tenant than the key\'s own: reported as absent (R17)');

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before sending again', schema: { type: 'integer' as const, minimum: 1 } } };

/** Backpressure at intake: nothing of a refused request was accepted; re-sending after Retry-After is safe. */
export const intakeRefusals = {
  429: { ...json(errorSchema, '`rate_limited` (the key\'s requests per minute) or `intake_busy` (too many intake requests in progress); nothing was accepted'), headers: retryAfter },
  503: {
    ...json(errorSchema, '`engine_unavailable` (Temporal unreachable, overloaded or too slow) or `request_timeout`; no alert was answered as accepted that Temporal did not acknowledge; re-sending is safe'),
    headers: retryAfter,
  },
};
