/** The response activities' vendor addresses from the environment: Microsoft's public cloud by default, https only. */
import { ConfigError, loadConfig } from '../../infra/config';

test('the vendor endpoints default to Microsoft and can be pointed elsewhere', () => {
  expect(loadConfig({}).vendorEndpoints).toEqual({
    graphBaseUrl: 'https://graph.microsoft.com/',
    authorityHost: 'https://login.microsoftonline.com',
    defenderBaseUrl: 'https://api.security.microsoft.com',
  });
  expect(loadConfig({ SOAR_DEFENDER_BASE_URL: 'https://eu.api.security.microsoft.com' }).vendorEndpoints.defenderBaseUrl).toBe('https://eu.api.security.microsoft.com');
});

test.each(['SOAR_GRAPH_BASE_URL', 'SOAR_ENTRA_AUTHORITY_HOST', 'SOAR_DEFENDER_BASE_URL'])('%s must be https', (variable) => {
  expect(() => loadConfig({ [variable]: 'http://localhost:8443' })).toThrow(ConfigError);
  expect(() => loadConfig({ [variable]: 'http://localhost:8443' })).toThrow(new RegExp(`${variable}: an https URL`));
});

test('SOAR_WORKER_MAX_CACHED_WORKFLOWS sizes the worker cache; unset is the SDK default, a non-integer or < 2 is refused', () => {
  expect(loadConfig({}).workerMaxCachedWorkflows).toBeNull();
  expect(loadConfig({ SOAR_WORKER_MAX_CACHED_WORKFLOWS: '500' }).workerMaxCachedWorkflows).toBe(500);
  for (const bad of ['0', '-1', '1', 'abc', '2.5']) {
    expect(() => loadConfig({ SOAR_WORKER_MAX_CACHED_WORKFLOWS: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ SOAR_WORKER_MAX_CACHED_WORKFLOWS: bad })).toThrow(/SOAR_WORKER_MAX_CACHED_WORKFLOWS/);
  }
});
