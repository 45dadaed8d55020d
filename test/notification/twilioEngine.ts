/** The engine with Twilio as its phone provider, pointed at the Twilio fake, for the tests of pages by phone (R19). */
import { join } from 'node:path';
import { inServiceWithSteps } from '../support/publicApi';
import { REPO, type TestEngineOptions } from '../support/testEngine';
import type { RunningTwilioFake } from '../support/vendors/twilioFake';

export interface TwilioAccount {
  accountSid: string;
  authToken: string;
}

/**
 * Twilio's settings (the auth token as a secret reference), every tenant in service for the next hour and each
 * escalation step waiting `stepTimeoutMs`: long enough that the first page is the only one while a test looks at it.
 */
export function twilioEngineOptions(twilio: RunningTwilioFake, account: TwilioAccount, options: { stepTimeoutMs: number; callbackUrl?: string }) {
  return {
    rulesDir: join(REPO, 'test/fixtures/rules'),
    env: {
      SOAR_PHONE_PROVIDER: 'twilio',
      SOAR_TWILIO_ACCOUNT_SID: account.accountSid,
      SOAR_TWILIO_AUTH_TOKEN_REF: 'env:TEST_TWILIO_AUTH_TOKEN',
      SOAR_TWILIO_FROM: '+4928219990000',
      SOAR_TWILIO_API_URL: twilio.url,
      ...(options.callbackUrl ? { SOAR_PHONE_CALLBACK_URL: options.callbackUrl } : {}),
    },
    secretEnv: { TEST_TWILIO_AUTH_TOKEN: account.authToken },
    policy: inServiceWithSteps(() => options.stepTimeoutMs),
  } satisfies Partial<TestEngineOptions>;
}
