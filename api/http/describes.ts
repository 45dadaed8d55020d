/**
 * The compile-time link between a response schema and the domain type it publishes. `Describes<typeof schema, T>` is
 * `true` when what the schema parses to and the domain type are assignable to each other (field names, optionality,
 * enums, nullability); `Assert` makes tsc (and `npm run lint`) fail where it is not. Each feature's schema file ends
 * with one such check per response schema, so a field added to, renamed in or dropped from a domain type breaks the
 * build until its published schema follows.
 */
import type { z } from 'zod';

export type Describes<S extends z.ZodType, T> = [z.output<S>] extends [T] ? ([T] extends [z.output<S>] ? true : false) : false;

/** Fails to compile unless `T` is `true`. */
export type Assert<T extends true> = T;
