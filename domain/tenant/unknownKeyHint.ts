/** Explains an unknown key: the nearest allowed key when it looks misspelt, else the allowed keys. */
import { z } from 'zod';

export function unknownKeyMessage(schema: z.core.$ZodType, parentPath: readonly PropertyKey[], key: string): string {
  const allowed = allowedKeysAt(schema, parentPath);
  if (allowed.length === 0) return `unknown key '${key}'`;
  const nearest = closest(key, allowed);
  return nearest ? `unknown key '${key}' (did you mean '${nearest}'?)` : `unknown key '${key}'; allowed keys: ${allowed.join(', ')}`;
}

/** The keys the object schema at `path` allows, or none when the path does not lead to an object. */
export function allowedKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.core.$ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (current instanceof z.ZodObject && typeof key === 'string') current = current.shape[key];
    else if (current instanceof z.ZodArray && typeof key === 'number') current = current.element;
    else current = undefined;
    current = current ? unwrap(current) : undefined;
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current: z.core.$ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault || current instanceof z.ZodPrefault) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.in;
    } else {
      return current;
    }
  }
}

function closest(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of allowed) {
    const distance = name.toLowerCase() === lower ? 0 : editDistance(lower, name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 4)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
