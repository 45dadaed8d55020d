/** R4: the leak check's Have I Been Pwned address and key come from the environment; the key only as a secret reference. */
import { ConfigError, loadConfig } from '../../infra/config';

test('R4 the leak check is off without a key reference, and defaults to haveibeenpwned.com with one', () => {
  expect(loadConfig({}).leakCheck).toBeNull();
  expect(loadConfig({ SOAR_HIBP_API_KEY_REF: 'env:HIBP_API_KEY' }).leakCheck).toEqual({
    baseUrl: 'https://haveibeenpwned.com',
    apiKeyRef: 'env:HIBP_API_KEY',
    userAgent: 'soar-engine-leak-check',
  });
  expect(loadConfig({ SOAR_HIBP_API_KEY_REF: 'file:/run/secrets/hibp', SOAR_HIBP_BASE_URL: 'http://127.0.0.1:9999' }).leakCheck?.baseUrl).toBe('http://127.0.0.1:9999');
});

test('R4 a key given as a value rather than a reference is refused, naming the variable', () => {
  expect(() => loadConfig({ SOAR_HIBP_API_KEY_REF: '0123456789abcdef' })).toThrow(ConfigError);
  expect(() => loadConfig({ SOAR_HIBP_API_KEY_REF: '0123456789abcdef' })).toThrow(/SOAR_HIBP_API_KEY_REF: a secret reference/);
});
