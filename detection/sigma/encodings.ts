/** Value encodings of the Sigma modifiers base64, base64offset and utf16le/utf16be/utf16/wide. */

export const CHARSETS = { utf8: 'utf8', utf16le: 'utf16le', utf16be: 'utf16be', utf16: 'utf16', wide: 'utf16le' } as const;
export type Charset = (typeof CHARSETS)[keyof typeof CHARSETS];

/** The bytes of `text` in the charset; `utf16` is little-endian with a byte order mark, as Windows writes it. */
export function encodeText(text: string, charset: Charset): Buffer {
  switch (charset) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'utf16be':
      return Buffer.from(text, 'utf16le').swap16();
    case 'utf16':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  }
}

export function base64Of(bytes: Buffer): string {
  return bytes.toString('base64');
}

const START_TRIM = [0, 2, 3] as const;
const END_TRIM = [0, 3, 2] as const;

/**
 * The three forms `bytes` takes inside a longer base64 text, for the three byte offsets it can start at:
 * encode with 0, 1 or 2 leading bytes, then cut the characters that depend on the unknown neighbours.
 */
export function base64OffsetVariants(bytes: Buffer): string[] {
  const variants: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset, 0x20), bytes]).toString('base64');
    const end = encoded.length - (END_TRIM[(bytes.length + offset) % 3] ?? 0);
    variants.push(encoded.slice(START_TRIM[offset], end));
  }
  return variants;
}
