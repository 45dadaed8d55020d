/**
 * List cursors sealed with an HMAC: a cursor is the page token Temporal's visibility gave, prefixed with a MAC over the
 * list it belongs to (its visibility query, which carries the tenant) and the token. A forged or altered cursor, or one
 * of another list (another filter, another tenant), is refused with 400 before it reaches Temporal, which answers a
 * foreign token with an error its client retries. The key is derived from the payload keys every API process shares,
 * so a cursor one process issued is accepted by the others; rotating the default key retires open cursors.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidInputError } from '../../domain/refusals';

const MAC_BYTES = 16;

export const notACursorOfOurs = () => new InvalidInputError([{ field: 'cursor', message: 'not a cursor this API returned' }]);

export class CursorSeal {
  constructor(private readonly key: Buffer) {}

  seal(list: string, token: Uint8Array): string {
    return Buffer.concat([this.mac(list, token), token]).toString('base64url');
  }

  /** The token inside a cursor this API issued for this list; otherwise a 400 naming the cursor field. */
  open(list: string, cursor: string): Buffer {
    const bytes = Buffer.from(cursor, 'base64url');
    if (bytes.length <= MAC_BYTES) throw notACursorOfOurs();
    const token = bytes.subarray(MAC_BYTES);
    if (!timingSafeEqual(bytes.subarray(0, MAC_BYTES), this.mac(list, token))) throw notACursorOfOurs();
    return token;
  }

  private mac(list: string, token: Uint8Array): Buffer {
    return createHmac('sha256', this.key).update(list).update('\0').update(token).digest().subarray(0, MAC_BYTES);
  }
}
