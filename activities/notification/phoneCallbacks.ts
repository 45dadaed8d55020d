/**
 * Where a phone provider reports back to the engine: delivery receipts and the on-call person's key press. The URLs
 * carry the alert's id; the provider signs every callback, so a forged or altered URL is refused (api/phoneCallbacks).
 */

/** Path prefix of the provider callbacks on the API (outside /v1: they are authenticated by the provider's signature). */
export const PHONE_CALLBACK_PATH = '/callbacks/phone';

export type PhoneCallbackKind = 'status' | 'keypress';

/** `base` is the API's public https address as the provider reaches it (SOAR_PHONE_CALLBACK_URL). */
export function phoneCallbackUrl(base: string, provider: 'twilio', kind: PhoneCallbackKind, alertId: string): string {
  return `${base.replace(/\/+$/, '')}${PHONE_CALLBACK_PATH}/${provider}/${kind}?alert=${encodeURIComponent(alertId)}`;
}

