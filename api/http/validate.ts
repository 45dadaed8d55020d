/** Parses request parts with zod and hands on the parsed value, or refuses with every field issue. */
import type { z } from 'zod';
import { InvalidInputError, issuesOf } from '../../domain/refusals';

export function parseOrRefuse<S extends z.ZodType>(schema: S, value: unknown, prefix: readonly PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInputError(issuesOf(result.error, prefix), result.error.issues);
  return result.data;
}
