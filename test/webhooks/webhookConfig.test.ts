/** Webhook configuration: a tenant's webhooks in its file (refused with file, field and line), the SOC's in the environment. */
import { parseTenantYaml } from '../../domain/tenant/loadTenants';
import { ConfigError, loadConfig } from '../../infra/config';
import { FILE, PACKAGE_2, refusalOf } from '../tenants/tenantFixtures';

const hook = (line: string) => `${PACKAGE_2}webhooks:\n  - ${line}\n`;

test('a tenant’s webhook is read with its events; all events when none are listed', () => {
  const tenant = parseTenantYaml(hook('{ id: halopsa, url: "https://acme.halopsa.example/webhooks/soar", secretRef: env:ACME_HALO_SECRET, events: [alert.escalated, alert.closed] }'), FILE);
  expect(tenant.webhooks).toEqual([{ id: 'halopsa', url: 'https://acme.halopsa.example/webhooks/soar', secretRef: 'env:ACME_HALO_SECRET', events: ['alert.escalated', 'alert.closed'] }]);
});

test.each([
  ['{ id: halopsa, url: "http://acme.halopsa.example/hook", secretRef: env:X }', 'webhooks[0].url', 'an https URL'],
  ['{ id: halopsa, url: "https://acme.halopsa.example/hook", secretRef: s3cr3t-inline }', 'webhooks[0].secretRef', 'secrets must be referenced'],
  ['{ id: halopsa, url: "https://acme.halopsa.example/hook", secretRef: env:X, events: [alert.deleted] }', 'webhooks[0].events[0]', 'alert.received'],
])('a misconfigured tenant webhook is refused naming file, field and line (%#)', (line, path, message) => {
  const error = refusalOf(hook(line));
  expect(error.issues).toEqual([expect.objectContaining({ path, line: expect.any(Number), message: expect.stringContaining(message) })]);
  expect(error.message).toContain(FILE);
});

test('the SOC’s webhook needs its address and its secret reference together', () => {
  expect(loadConfig({}).socWebhook).toBeNull();
  expect(loadConfig({ SOAR_SOC_WEBHOOK_URL: 'https://tickets.soc.internal/hooks/soar', SOAR_SOC_WEBHOOK_SECRET_REF: 'file:/run/secrets/soc-webhook' }).socWebhook).toEqual({
    url: 'https://tickets.soc.internal/hooks/soar',
    secretRef: 'file:/run/secrets/soc-webhook',
  });
  expect(() => loadConfig({ SOAR_SOC_WEBHOOK_URL: 'https://tickets.soc.internal/hooks/soar' })).toThrow(ConfigError);
  expect(() => loadConfig({ SOAR_SOC_WEBHOOK_URL: 'https://tickets.soc.internal/hooks/soar' })).toThrow(/SOAR_SOC_WEBHOOK_SECRET_REF: the SOC webhook needs both/);
});
