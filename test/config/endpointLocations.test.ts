/** R20: every external endpoint's location is stated; one outside Germany needs a documented exception; production requires the file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { loadApiKeys } from '../../api/auth/apiKeys';
import { healthRoutes } from '../../api/http/healthRoutes';
import { ConfigError, loadConfig } from '../../infra/config';
import { EndpointLocationsError, loadEndpointLocations, outsideGermany } from '../../infra/endpointLocations';
import { devKeyOf } from '../support/devKeys';
import { REPO } from '../support/testEnv';

const EXAMPLE = join(REPO, 'config/endpoint-locations.example.yaml');

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'soar-locations-')), 'endpoint-locations.yaml');
  writeFileSync(path, text);
  return path;
}

function refusal(path: string, used: Parameters<typeof loadEndpointLocations>[1] = ['temporal', 'database']): EndpointLocationsError {
  try {
    loadEndpointLocations(path, used);
  } catch (error) {
    if (error instanceof EndpointLocationsError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

test('R20 the example states every endpoint; the breach-data and enrichment providers are the documented exceptions outside Germany', () => {
  const locations = loadEndpointLocations(EXAMPLE, ['temporal', 'database', 'mail', 'sms', 'traces', 'breachData', 'socChat', 'virusTotal', 'abuseIpDb', 'misp']);
  expect(locations.map((l) => l.endpoint)).toEqual(['temporal', 'database', 'mail', 'sms', 'traces', 'breachData', 'socChat', 'virusTotal', 'abuseIpDb', 'misp']);
  expect(outsideGermany(locations)).toEqual(
    ['breachData', 'virusTotal', 'abuseIpDb'].map((endpoint) => expect.objectContaining({ endpoint, country: 'US', exception: expect.objectContaining({ documentedIn: expect.any(String) }) })),
  );
});

test('R20 an endpoint outside Germany without an exception is refused naming its line', () => {
  const error = refusal(file('endpoints:\n  temporal: { host: t.example, country: DE }\n  database: { host: db.example, country: IE }\n'));
  expect(error.issues).toEqual([{ path: 'endpoints.database.exception', line: 3, message: expect.stringMatching(/^R20: runs in IE, outside Germany/) }]);
});

test('R20 an endpoint this deployment uses must be stated; unknown endpoints and keys are refused', () => {
  const missing = refusal(file('endpoints:\n  temporal: { host: t.example, country: DE }\n'), ['temporal', 'database', 'mail']);
  expect(missing.issues.map((i) => i.path)).toEqual(['endpoints.database', 'endpoints.mail']);
  const unknown = refusal(file('endpoints:\n  temporal: { host: t.example, country: DE }\n  database: { host: db.example, country: DE }\n  ftp: { host: f.example, country: DE }\n'));
  expect(unknown.issues[0]).toMatchObject({ path: 'endpoints', message: expect.stringContaining('ftp') });
  expect(refusal(file('endpoints:\n  temporal: { host: t.example, country: germany }\n  database: { host: db.example, country: DE }\n')).issues[0]).toMatchObject({ path: 'endpoints.temporal.country', line: 2 });
});

test('R20 production requires the locations file, and the configuration carries what it states', () => {
  const production = { NODE_ENV: 'production', SOAR_API_KEYS_FILE: '/etc/soar/keys.yaml', SOAR_PAYLOAD_KEYS_FILE: '/etc/soar/payload-keys.yaml' } as const;
  expect(() => loadConfig(production)).toThrow(ConfigError);
  expect(() => loadConfig(production)).toThrow(/SOAR_ENDPOINT_LOCATIONS_FILE/);
  const config = loadConfig({ ...production, SOAR_ENDPOINT_LOCATIONS_FILE: EXAMPLE, SOAR_SMTP_HOST: 'mail.soc-provider.example' });
  expect(config.endpointLocations?.map((l) => l.endpoint)).toContain('mail');
  const withoutMail = file('endpoints:\n  temporal: { host: t.example, country: DE }\n  database: { host: db.example, country: DE }\n');
  expect(() => loadConfig({ ...production, SOAR_ENDPOINT_LOCATIONS_FILE: withoutMail, SOAR_SMTP_HOST: 'mail.soc-provider.example' })).toThrow(/endpoints\.mail/);
});

test('R20 GET /readyz lists the endpoints outside Germany for an admin key only', async () => {
  const keys = loadApiKeys(join(REPO, 'config/dev/api-keys.yaml'), { production: false });
  const outside = outsideGermany(loadEndpointLocations(EXAMPLE, ['temporal', 'breachData']));
  const app = express().use(healthRoutes(async () => true, undefined, { keys, outsideGermany: outside }));
  const asAdmin = await request(app).get('/readyz').set('Authorization', `Bearer ${devKeyOf(keys.devKeys, 'admin')}`);
  expect(asAdmin.status).toBe(200);
  expect(asAdmin.body.endpointsOutsideGermany).toEqual(['breachData', 'virusTotal', 'abuseIpDb'].map((endpoint) => expect.objectContaining({ endpoint, country: 'US', exception: expect.any(Object) })));
  const asAnalyst = await request(app).get('/readyz').set('Authorization', `Bearer ${devKeyOf(keys.devKeys, 'analyst')}`);
  expect(asAnalyst.body).toEqual({ status: 'ok' });
  expect((await request(app).get('/readyz')).body).toEqual({ status: 'ok' });
});
