/** The deployment's one phone provider, from the configuration: Twilio, sipgate, the plain HTTP API, or none (R19's pages then fail visibly). */
import type { Language } from '../../domain/i18n/language';
import { createSipgatePhoneProvider } from './sipgatePhoneProvider';
import { createHttpPhoneProvider, type HttpPhoneProviderSettings, type PhoneProvider } from './smsSender';
import { createTwilioPhoneProvider } from './twilioPhoneProvider';

export interface PhoneProviderConfig {
  phone: HttpPhoneProviderSettings | null;
  twilio: { accountSid: string; authTokenRef: string; from: string; apiBaseUrl: string } | null;
  sipgate: { tokenId: string; tokenRef: string; smsId: string; apiBaseUrl: string; calls?: { deviceId: string; target: string } | null } | null;
  phoneCallbackUrl: string | null;
  socLanguage: Language;
}

/** `resolve` turns a secret reference into the secret, called on each send inside the activity. */
export function choosePhoneProvider(config: PhoneProviderConfig, resolve: (ref: string) => string): PhoneProvider | undefined {
  const { twilio, sipgate } = config;
  if (twilio) {
    return createTwilioPhoneProvider({
      accountSid: twilio.accountSid,
      authToken: () => resolve(twilio.authTokenRef),
      from: twilio.from,
      apiBaseUrl: twilio.apiBaseUrl,
      callbackBaseUrl: config.phoneCallbackUrl,
      socLanguage: config.socLanguage,
    });
  }
  if (sipgate) {
    return createSipgatePhoneProvider({ tokenId: sipgate.tokenId, token: () => resolve(sipgate.tokenRef), smsId: sipgate.smsId, apiBaseUrl: sipgate.apiBaseUrl, calls: sipgate.calls ?? null });
  }
  return config.phone ? createHttpPhoneProvider(config.phone) : undefined;
}
