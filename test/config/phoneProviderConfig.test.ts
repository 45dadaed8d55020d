/** The phone provider is chosen per deployment; a provider's settings are complete or refused at load, naming the variable. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EndpointLocationsError } from '../../infra/endpointLocations';
import { ConfigError, loadConfig } from '../../infra/config';

const TWILIO = {
  SOAR_PHONE_PROVIDER: 'twilio',
  SOAR_TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  SOAR_TWILIO_AUTH_TOKEN_REF: 'env:TWILIO_AUTH_TOKEN',
  SOAR_TWILIO_FROM: '+4928219990000',
};
const SIPGATE = { SOAR_PHONE_PROVIDER: 'sipgate', SOAR_SIPGATE_TOKEN_ID: 'token-ABC123', SOAR_SIPGATE_TOKEN_REF: 'file:/run/secrets/sipgate', SOAR_SIPGATE_SMS_ID: 's0' };

test('no phone provider is configured until one is chosen', () => {
  const { notifications } = loadConfig({});
  expect([notifications.phone, notifications.twilio, notifications.sipgate, notifications.phoneCallbackUrl]).toEqual([null, null, null, null]);
});

test('Twilio and sipgate are read with their official addresses by default', () => {
  expect(loadConfig(TWILIO).notifications.twilio).toEqual({ accountSid: TWILIO.SOAR_TWILIO_ACCOUNT_SID, authTokenRef: 'env:TWILIO_AUTH_TOKEN', from: '+4928219990000', apiBaseUrl: 'https://api.twilio.com' });
  expect(loadConfig(SIPGATE).notifications.sipgate).toEqual({ tokenId: 'token-ABC123', tokenRef: 'file:/run/secrets/sipgate', smsId: 's0', apiBaseUrl: 'https://api.sipgate.com/v2', calls: null });
});

test('sipgate escalation calls are on with their device, the SOC’s number and the callback address', () => {
  const calls = { ...SIPGATE, SOAR_SIPGATE_CALL_DEVICE_ID: 'e0', SOAR_SIPGATE_CALL_TARGET: '+4928219990000', SOAR_PHONE_CALLBACK_URL: 'https://soar.soc-provider.example' };
  expect(loadConfig(calls).notifications.sipgate?.calls).toEqual({ deviceId: 'e0', target: '+4928219990000' });
});

test.each([
  [{ ...TWILIO, SOAR_TWILIO_FROM: undefined }, /SOAR_TWILIO_FROM: required when SOAR_PHONE_PROVIDER=twilio/],
  [{ ...TWILIO, SOAR_TWILIO_AUTH_TOKEN_REF: 'f00dbabe' }, /SOAR_TWILIO_AUTH_TOKEN_REF: a secret reference/],
  [{ ...TWILIO, SOAR_TWILIO_ACCOUNT_SID: 'ACnot-a-sid' }, /SOAR_TWILIO_ACCOUNT_SID: a Twilio account SID/],
  [{ ...TWILIO, SOAR_PHONE_CALLBACK_URL: 'http://soar.example' }, /SOAR_PHONE_CALLBACK_URL: an https URL/],
  [{ ...SIPGATE, SOAR_SIPGATE_SMS_ID: undefined }, /SOAR_SIPGATE_SMS_ID: required when SOAR_PHONE_PROVIDER=sipgate/],
  [{ ...TWILIO, SOAR_PHONE_PROVIDER: undefined }, /SOAR_PHONE_PROVIDER: SOAR_TWILIO_ACCOUNT_SID is set but SOAR_PHONE_PROVIDER is not twilio/],
  [{ ...SIPGATE, SOAR_PHONE_PROVIDER: 'twilio' }, /SOAR_TWILIO_ACCOUNT_SID: required when SOAR_PHONE_PROVIDER=twilio/],
  [{ ...TWILIO, SOAR_SIPGATE_SMS_ID: 's0' }, /SOAR_PHONE_PROVIDER: SOAR_SIPGATE_SMS_ID is set but SOAR_PHONE_PROVIDER is not sipgate/],
  [{ SOAR_PHONE_PROVIDER: 'vonage' }, /SOAR_PHONE_PROVIDER: /],
  [{ ...SIPGATE, SOAR_SIPGATE_CALL_DEVICE_ID: 'e0', SOAR_PHONE_CALLBACK_URL: 'https://soar.example' }, /SOAR_SIPGATE_CALL_TARGET: sipgate calls need both/],
  [{ ...SIPGATE, SOAR_SIPGATE_CALL_TARGET: '+4928219990000', SOAR_PHONE_CALLBACK_URL: 'https://soar.example' }, /SOAR_SIPGATE_CALL_DEVICE_ID: sipgate calls need both/],
  [{ ...SIPGATE, SOAR_SIPGATE_CALL_DEVICE_ID: 'e0', SOAR_SIPGATE_CALL_TARGET: '+4928219990000' }, /SOAR_PHONE_CALLBACK_URL: required with SOAR_SIPGATE_CALL_DEVICE_ID/],
  [{ ...SIPGATE, SOAR_SIPGATE_CALL_DEVICE_ID: 's0' }, /SOAR_SIPGATE_CALL_DEVICE_ID: a sipgate device extension/],
  [{ ...SIPGATE, SOAR_SIPGATE_CALL_TARGET: '0211 9999' }, /SOAR_SIPGATE_CALL_TARGET: a number in E.164 form/],
  [{ ...TWILIO, SOAR_SIPGATE_CALL_DEVICE_ID: 'e0' }, /SOAR_PHONE_PROVIDER: SOAR_SIPGATE_CALL_DEVICE_ID is set but SOAR_PHONE_PROVIDER is not sipgate/],
])('a misconfigured phone provider is refused at load, naming the variable (%#)', (env, expected) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(expected);
});

test('R20 a chosen phone provider must be stated in the endpoint locations file', () => {
  const locations = join(mkdtempSync(join(tmpdir(), 'soar-locations-')), 'endpoint-locations.yaml');
  writeFileSync(locations, 'endpoints:\n  temporal: { host: t.example, country: DE }\n  database: { host: db.example, country: DE }\n');
  expect(() => loadConfig({ ...TWILIO, SOAR_ENDPOINT_LOCATIONS_FILE: locations })).toThrow(EndpointLocationsError);
  expect(() => loadConfig({ ...TWILIO, SOAR_ENDPOINT_LOCATIONS_FILE: locations })).toThrow(/endpoints\.sms/);
  expect(loadConfig({ SOAR_ENDPOINT_LOCATIONS_FILE: locations }).endpointLocations).toHaveLength(2);
});

describe('the SOC’s Teams channel', () => {
  test('is off until its webhook URL reference is set, and needs the dashboard’s address for its links', () => {
    expect(loadConfig({}).socChannel).toBeNull();
    expect(loadConfig({ SOAR_TEAMS_WEBHOOK_URL_REF: 'file:/run/secrets/teams-webhook', SOAR_DASHBOARD_URL: 'https://soc.example', SOAR_SOC_LANGUAGE: 'en' }).socChannel).toEqual({
      webhookUrlRef: 'file:/run/secrets/teams-webhook',
      dashboardUrl: 'https://soc.example',
      language: 'en',
    });
    expect(() => loadConfig({ SOAR_TEAMS_WEBHOOK_URL_REF: 'env:TEAMS' })).toThrow(/SOAR_DASHBOARD_URL: required with SOAR_TEAMS_WEBHOOK_URL_REF/);
  });

  test('refuses the webhook URL itself (it is a credential), naming the variable', () => {
    expect(() => loadConfig({ SOAR_TEAMS_WEBHOOK_URL_REF: 'https://prod-01.westeurope.logic.azure.com/workflows/x?sig=y', SOAR_DASHBOARD_URL: 'https://soc.example' })).toThrow(
      /SOAR_TEAMS_WEBHOOK_URL_REF: a secret reference/,
    );
  });
});

describe('IoC enrichment', () => {
  test('each provider is off until its key reference is set; VirusTotal’s public rate of 4 calls a minute is the default', () => {
    const off = loadConfig({});
    expect([off.enrichment.virustotal, off.enrichment.abuseipdb, off.enrichment.misp]).toEqual([null, null, null]);
    expect(off.vendorCallsPerMinute).toMatchObject({ virustotal: 4, abuseipdb: 0.69, misp: 60 });
    const on = loadConfig({ SOAR_VIRUSTOTAL_API_KEY_REF: 'env:VT', SOAR_MISP_URL: 'https://misp.soc.internal', SOAR_MISP_API_KEY_REF: 'file:/run/secrets/misp', SOAR_ENRICHMENT_CACHE_HOURS: '6' });
    expect(on.enrichment).toEqual({
      virustotal: { baseUrl: 'https://www.virustotal.com/api/v3', apiKeyRef: 'env:VT' },
      abuseipdb: null,
      misp: { baseUrl: 'https://misp.soc.internal', apiKeyRef: 'file:/run/secrets/misp' },
      cacheTtlMs: 6 * 3_600_000,
    });
  });

  test.each([
    [{ SOAR_MISP_URL: 'https://misp.soc.internal' }, /SOAR_MISP_API_KEY_REF: MISP enrichment needs both/],
    [{ SOAR_MISP_API_KEY_REF: 'env:MISP' }, /SOAR_MISP_URL: MISP enrichment needs both/],
    [{ SOAR_VIRUSTOTAL_API_KEY_REF: 'a3f9c0ffee' }, /SOAR_VIRUSTOTAL_API_KEY_REF: a secret reference/],
    [{ SOAR_MISP_URL: 'http://misp.soc.internal', SOAR_MISP_API_KEY_REF: 'env:MISP' }, /SOAR_MISP_URL: an https URL/],
  ])('a misconfigured provider is refused at load, naming the variable (%#)', (env, expected) => {
    expect(() => loadConfig(env)).toThrow(expected);
  });
});

describe('a half-configured integration is refused at load, naming the variable to set and the one that was set', () => {
  test.each([
    ['the HTTP phone API without its token', { SOAR_PHONE_API_URL: 'https://sms.example/v1' }, /SOAR_PHONE_API_TOKEN: required with SOAR_PHONE_API_URL/],
    ['the HTTP phone API’s token without its address', { SOAR_PHONE_API_TOKEN: 'tok' }, /SOAR_PHONE_API_URL: required with SOAR_PHONE_API_TOKEN/],
    ['a sender without any phone API', { SOAR_PHONE_FROM: 'SOC' }, /SOAR_PHONE_API_URL: required with SOAR_PHONE_FROM/],
    ['SOAR_PHONE_PROVIDER=http without the API', { SOAR_PHONE_PROVIDER: 'http' }, /SOAR_PHONE_API_URL: required when SOAR_PHONE_PROVIDER=http, together with SOAR_PHONE_API_TOKEN/],
    ['the HTTP phone API beside Twilio', { ...TWILIO, SOAR_PHONE_API_URL: 'https://sms.example/v1', SOAR_PHONE_API_TOKEN: 'tok' }, /SOAR_PHONE_PROVIDER: SOAR_PHONE_API_URL is set but SOAR_PHONE_PROVIDER is twilio/],
    ['Twilio’s address while sipgate is chosen', { ...SIPGATE, SOAR_TWILIO_API_URL: 'https://twilio.fake.example' }, /SOAR_PHONE_PROVIDER: SOAR_TWILIO_API_URL is set but SOAR_PHONE_PROVIDER is sipgate/],
    ['sipgate’s address while Twilio is chosen', { ...TWILIO, SOAR_SIPGATE_API_URL: 'https://sipgate.fake.example/v2' }, /SOAR_PHONE_PROVIDER: SOAR_SIPGATE_API_URL is set but SOAR_PHONE_PROVIDER is twilio/],
    ['a callback address with sipgate SMS only (no calls, so nothing calls back)', { ...SIPGATE, SOAR_PHONE_CALLBACK_URL: 'https://soar.example' }, /SOAR_PHONE_CALLBACK_URL is set but SOAR_PHONE_PROVIDER is sipgate: only Twilio and sipgate calls/],
    ['a callback address without a phone provider', { SOAR_PHONE_CALLBACK_URL: 'https://soar.example' }, /SOAR_PHONE_CALLBACK_URL is set but SOAR_PHONE_PROVIDER is not set/],
    ['the dashboard address without the Teams webhook', { SOAR_DASHBOARD_URL: 'https://soc.example' }, /SOAR_TEAMS_WEBHOOK_URL_REF: required with SOAR_DASHBOARD_URL/],
    ['VirusTotal’s address without its key', { SOAR_VIRUSTOTAL_BASE_URL: 'https://vt.fake.example/api/v3' }, /SOAR_VIRUSTOTAL_API_KEY_REF: required with SOAR_VIRUSTOTAL_BASE_URL/],
    ['VirusTotal’s rate without its key', { SOAR_VIRUSTOTAL_CALLS_PER_MINUTE: '500' }, /SOAR_VIRUSTOTAL_API_KEY_REF: required with SOAR_VIRUSTOTAL_CALLS_PER_MINUTE/],
    ['AbuseIPDB’s address without its key', { SOAR_ABUSEIPDB_BASE_URL: 'https://abuse.fake.example' }, /SOAR_ABUSEIPDB_API_KEY_REF: required with SOAR_ABUSEIPDB_BASE_URL/],
    ['MISP’s rate without MISP', { SOAR_MISP_CALLS_PER_MINUTE: '120' }, /SOAR_MISP_URL: required with SOAR_MISP_CALLS_PER_MINUTE/],
    ['a cache time without any enrichment provider', { SOAR_ENRICHMENT_CACHE_HOURS: '6' }, /SOAR_ENRICHMENT_CACHE_HOURS: is set but no enrichment provider is configured/],
    ['the SOC webhook’s secret without its address', { SOAR_SOC_WEBHOOK_SECRET_REF: 'env:HOOK' }, /SOAR_SOC_WEBHOOK_URL: the SOC webhook needs both/],
    ['the SOC webhook’s address without its secret', { SOAR_SOC_WEBHOOK_URL: 'https://tickets.example/hook' }, /SOAR_SOC_WEBHOOK_SECRET_REF: the SOC webhook needs both/],
    ['an SMTP login without its password', { SOAR_SMTP_HOST: 'mail.example', SOAR_SMTP_USER: 'soar' }, /SOAR_SMTP_PASSWORD: the SMTP login needs both SOAR_SMTP_USER and SOAR_SMTP_PASSWORD/],
    ['an SMTP port without the SMTP host', { SOAR_SMTP_PORT: '465' }, /SOAR_SMTP_HOST: required with SOAR_SMTP_PORT/],
    ['a leak-check rate without its key', { SOAR_HIBP_CALLS_PER_MINUTE: '20' }, /SOAR_HIBP_API_KEY_REF: required with SOAR_HIBP_CALLS_PER_MINUTE/],
  ])('%s', (_case, env, expected) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(expected);
  });

  test('complete integrations with their optional settings load', () => {
    const config = loadConfig({
      SOAR_PHONE_API_URL: 'https://sms.example/v1',
      SOAR_PHONE_API_TOKEN: 'tok',
      SOAR_PHONE_FROM: 'SOC',
      SOAR_VIRUSTOTAL_API_KEY_REF: 'env:VT',
      SOAR_VIRUSTOTAL_CALLS_PER_MINUTE: '500',
      SOAR_ENRICHMENT_CACHE_HOURS: '6',
      SOAR_SMTP_HOST: 'mail.example',
      SOAR_SMTP_USER: 'soar',
      SOAR_SMTP_PASSWORD: 'pw',
    });
    expect(config.notifications.phone).toEqual({ baseUrl: 'https://sms.example/v1', from: 'SOC', token: 'tok' });
    expect(config.notifications.smtp?.auth).toEqual({ user: 'soar', password: 'pw' });
    expect(loadConfig({ ...TWILIO, SOAR_TWILIO_API_URL: 'https://twilio.fake.example', SOAR_PHONE_CALLBACK_URL: 'https://soar.example' }).notifications.twilio?.apiBaseUrl).toBe('https://twilio.fake.example');
  });
});
