/**
 * Half-configured integrations (docs/integrations.md): an integration is off until configured, and a setting that would
 * do nothing because its integration is off (or because another provider is chosen) is refused at load, naming the
 * variable that is missing and the one that was set, never ignored. Reads the raw environment: a variable with a
 * default counts as set only when the environment sets it.
 */
type RawEnv = Readonly<Record<string, string | undefined>>;

/** What is wrong: the variable to set (or remove) and why, naming the other variable. */
export interface IncompleteSetting {
  variable: string;
  reason: string;
}

/** An integration switched on by `on` (all of them), with the settings that mean nothing without it. */
interface Integration {
  name: string;
  on: readonly string[];
  settings: readonly string[];
}

const INTEGRATIONS: readonly Integration[] = [
  { name: 'e-mail', on: ['SOAR_SMTP_HOST'], settings: ['SOAR_SMTP_PORT', 'SOAR_SMTP_SECURITY', 'SOAR_SMTP_FROM', 'SOAR_SMTP_USER', 'SOAR_SMTP_PASSWORD', 'SOAR_SMTP_TIMEOUT_MS'] },
  { name: 'the HTTP phone API', on: ['SOAR_PHONE_API_URL'], settings: ['SOAR_PHONE_API_TOKEN', 'SOAR_PHONE_FROM'] },
  { name: 'the HTTP phone API', on: ['SOAR_PHONE_API_TOKEN'], settings: ['SOAR_PHONE_API_URL'] },
  { name: 'the SOC’s Teams channel', on: ['SOAR_TEAMS_WEBHOOK_URL_REF'], settings: ['SOAR_DASHBOARD_URL'] },
  { name: 'VirusTotal', on: ['SOAR_VIRUSTOTAL_API_KEY_REF'], settings: ['SOAR_VIRUSTOTAL_BASE_URL', 'SOAR_VIRUSTOTAL_CALLS_PER_MINUTE'] },
  { name: 'AbuseIPDB', on: ['SOAR_ABUSEIPDB_API_KEY_REF'], settings: ['SOAR_ABUSEIPDB_BASE_URL', 'SOAR_ABUSEIPDB_CALLS_PER_MINUTE'] },
  { name: 'MISP', on: ['SOAR_MISP_URL', 'SOAR_MISP_API_KEY_REF'], settings: ['SOAR_MISP_CALLS_PER_MINUTE'] },
  { name: 'the leak check (Have I Been Pwned)', on: ['SOAR_HIBP_API_KEY_REF'], settings: ['SOAR_HIBP_BASE_URL', 'SOAR_HIBP_USER_AGENT', 'SOAR_HIBP_CALLS_PER_MINUTE', 'SOAR_HIBP_TENANT_CALLS_PER_MINUTE'] },
];

const ENRICHMENT_KEYS = ['SOAR_VIRUSTOTAL_API_KEY_REF', 'SOAR_ABUSEIPDB_API_KEY_REF', 'SOAR_MISP_URL'] as const;

/** Settings of one phone provider that mean nothing while another is chosen (its required ones are checked in config.ts). */
const PHONE_PROVIDER_SETTINGS = {
  http: ['SOAR_PHONE_API_URL', 'SOAR_PHONE_API_TOKEN', 'SOAR_PHONE_FROM'],
  twilio: ['SOAR_TWILIO_API_URL'],
  sipgate: ['SOAR_SIPGATE_API_URL'],
} as const;

const isSet = (env: RawEnv, name: string) => env[name] !== undefined;

/** The first setting that would be silently ignored, or null when every configured integration is complete. */
export function incompleteIntegration(env: RawEnv): IncompleteSetting | null {
  return phoneProviderMismatch(env) ?? settingWithoutIntegration(env) ?? cacheWithoutEnrichment(env) ?? smtpLoginHalf(env);
}

function phoneProviderMismatch(env: RawEnv): IncompleteSetting | null {
  const chosen = env['SOAR_PHONE_PROVIDER'];
  if (chosen === 'http' && !isSet(env, 'SOAR_PHONE_API_URL')) {
    return { variable: 'SOAR_PHONE_API_URL', reason: 'required when SOAR_PHONE_PROVIDER=http, together with SOAR_PHONE_API_TOKEN' };
  }
  // Unset with no HTTP API: no phone channel; the HTTP API's own settings are then checked as an integration below.
  const provider = chosen ?? (isSet(env, 'SOAR_PHONE_API_URL') ? 'http' : null);
  for (const [other, names] of Object.entries(PHONE_PROVIDER_SETTINGS)) {
    if (other === provider || (provider === null && other === 'http')) continue;
    const stray = names.find((name) => isSet(env, name));
    if (!stray) continue;
    const what = `it configures the ${other} phone provider`;
    return {
      variable: 'SOAR_PHONE_PROVIDER',
      reason: `${stray} is set but SOAR_PHONE_PROVIDER is ${provider ?? 'not set'}: ${what}; set SOAR_PHONE_PROVIDER=${other} (with its settings) or remove ${stray}`,
    };
  }
  // The callback address serves Twilio (reports, press 1) and sipgate's calls (push events, key press); nothing else.
  const callsBack = provider === 'twilio' || (provider === 'sipgate' && (isSet(env, 'SOAR_SIPGATE_CALL_DEVICE_ID') || isSet(env, 'SOAR_SIPGATE_CALL_TARGET')));
  if (isSet(env, 'SOAR_PHONE_CALLBACK_URL') && !callsBack) {
    return {
      variable: 'SOAR_PHONE_PROVIDER',
      reason: `SOAR_PHONE_CALLBACK_URL is set but SOAR_PHONE_PROVIDER is ${provider ?? 'not set'}: only Twilio and sipgate calls (SOAR_SIPGATE_CALL_DEVICE_ID) call back; set one of them or remove SOAR_PHONE_CALLBACK_URL`,
    };
  }
  return null;
}

function settingWithoutIntegration(env: RawEnv): IncompleteSetting | null {
  for (const { name, on, settings } of INTEGRATIONS) {
    const setting = settings.find((s) => isSet(env, s));
    const missing = on.find((s) => !isSet(env, s));
    if (setting && missing) return { variable: missing, reason: `required with ${setting}: ${name} is off without ${on.join(' and ')}, so ${setting} would be ignored` };
  }
  return null;
}

function cacheWithoutEnrichment(env: RawEnv): IncompleteSetting | null {
  if (!isSet(env, 'SOAR_ENRICHMENT_CACHE_HOURS') || ENRICHMENT_KEYS.some((name) => isSet(env, name))) return null;
  return { variable: 'SOAR_ENRICHMENT_CACHE_HOURS', reason: `is set but no enrichment provider is configured (${ENRICHMENT_KEYS.join(', ')}): set one or remove SOAR_ENRICHMENT_CACHE_HOURS` };
}

function smtpLoginHalf(env: RawEnv): IncompleteSetting | null {
  if (isSet(env, 'SOAR_SMTP_USER') === isSet(env, 'SOAR_SMTP_PASSWORD')) return null;
  const missing = isSet(env, 'SOAR_SMTP_USER') ? 'SOAR_SMTP_PASSWORD' : 'SOAR_SMTP_USER';
  return { variable: missing, reason: 'the SMTP login needs both SOAR_SMTP_USER and SOAR_SMTP_PASSWORD (with one alone the mail would go out without a login)' };
}
