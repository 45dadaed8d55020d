/** Sorts what nodemailer throws into a permanent rejection (SMTP 5xx) or a deferral (4xx, timeouts, lost connections). */
import { z } from 'zod';
import { DeliveryDeferredError, DeliveryRejectedError } from './deliveryErrors';
import { redactSecrets } from './redactSecrets';

/** The fields nodemailer sets on its errors; read through a schema, not a cast. */
const nodemailerErrorSchema = z.object({
  message: z.string(),
  code: z.string().optional(),
  responseCode: z.number().int().optional(),
  /** nodemailer's own reading of the reply class: true for 5xx except 503 (RFC 5321). */
  permanent: z.boolean().optional(),
  response: z.string().optional(),
  /** The SMTP command the server answered, like `RCPT TO` or `STARTTLS`. */
  command: z.string().optional(),
  timeoutType: z.string().optional(),
});

/** Codes without an SMTP reply that no retry can fix: our configuration or the envelope is wrong. */
const PERMANENT_LOCAL_CODES: ReadonlySet<string> = new Set(['ECONFIG', 'ENOAUTH', 'EENVELOPE']);

/** `secrets` are removed from the reason, in case a server or library echoes one. */
export function smtpFailure(error: unknown, provider: string, secrets: readonly (string | undefined)[]): DeliveryRejectedError | DeliveryDeferredError {
  const parsed = nodemailerErrorSchema.safeParse(error);
  if (!parsed.success) return new DeliveryDeferredError('email', provider, 'the SMTP send failed without an error nodemailer describes');
  const { code, responseCode, permanent, response, command, timeoutType } = parsed.data;
  // The server's reply to the command (`RCPT TO: 550 5.1.1 no such user`) is the clearest reason.
  const reply = response === undefined ? parsed.data.message : command === undefined ? response : `${command}: ${response}`;
  const reason = redactSecrets(oneLine(reply), secrets);
  if (responseCode !== undefined) {
    const isPermanent = permanent ?? (responseCode >= 500 && responseCode !== 503);
    return isPermanent
      ? new DeliveryRejectedError('email', provider, reason, responseCode)
      : new DeliveryDeferredError('email', provider, reason, responseCode);
  }
  if (code !== undefined && PERMANENT_LOCAL_CODES.has(code)) return new DeliveryRejectedError('email', provider, reason);
  if (code === 'ETIMEDOUT') return new DeliveryDeferredError('email', provider, `timed out (${timeoutType ?? 'waiting for the server'}): ${reason}`);
  return new DeliveryDeferredError('email', provider, code === undefined ? reason : `${code}: ${reason}`);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}
