/** Vendor text made storable: NUL characters removed everywhere, over-long texts cut to the normalised alert's limits. */

/** A copy of a JSON value with NUL (U+0000) removed from every string and key; U+FFFD, emoji and RTL marks stay as they are. */
export function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key.replaceAll('\u0000', ''), withoutNul(entry)]));
  }
  return value;
}

/** The text cut to at most `max` UTF-16 units (zod's `.max` counts those), never splitting an emoji's surrogate pair. */
export function clip(text: string, max: number): string {
  const clean = text.replaceAll('\u0000', '');
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** A trimmed, non-empty, clipped text, or undefined for null, undefined and blank strings. */
export function textOf(value: string | null | undefined, max: number): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.replaceAll('\u0000', '').trim();
  return trimmed === '' ? undefined : clip(trimmed, max);
}

/** An identifier is useless when cut: a trimmed id within `max`, or undefined (dropped, never truncated). */
export function identifierOf(value: string | null | undefined, max: number): string | undefined {
  const trimmed = value?.replaceAll('\u0000', '').trim();
  return trimmed && trimmed.length <= max ? trimmed : undefined;
}
