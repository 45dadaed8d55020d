/** The configuration examples in docs/integrations.md load as written (nothing ships checked by reading). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTenantYaml } from '../../domain/tenant/loadTenants';
import { loadConfig } from '../../infra/config';
import { FILE, PACKAGE_2 } from '../tenants/tenantFixtures';

const DOC = readFileSync(join(__dirname, '../../docs/integrations.md'), 'utf8');

/** The variables of the example block marked `integration-example=<name>`. */
function example(name: string): Record<string, string> {
  const block = new RegExp('```sh integration-example=' + name + '\\n([\\s\\S]*?)```').exec(DOC)?.[1];
  if (block === undefined) throw new Error(`docs/integrations.md has no example ${name}`);
  return Object.fromEntries(block.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

test('the Twilio example configures Twilio with callbacks', () => {
  const { notifications } = loadConfig(example('twilio'));
  expect(notifications.twilio).toMatchObject({ accountSid: 'AC0123456789abcdef0123456789abcdef', authTokenRef: 'file:/run/secrets/twilio-auth-token' });
  expect(notifications.phoneCallbackUrl).toBe('https://soar.soc-provider.example');
});

test('the sipgate example configures sipgate', () => {
  expect(loadConfig(example('sipgate')).notifications.sipgate).toMatchObject({ tokenId: 'token-AB12CD', smsId: 's0' });
});

test('the sipgate calls example turns on escalation calls with acknowledgement by phone', () => {
  const { notifications } = loadConfig(example('sipgate-calls'));
  expect(notifications.sipgate?.calls).toEqual({ deviceId: 'e0', target: '+4921199990000' });
  expect(notifications.phoneCallbackUrl).toBe('https://soar.soc-provider.example');
});

test('the Teams example configures the SOC’s channel', () => {
  expect(loadConfig(example('teams')).socChannel).toEqual({ webhookUrlRef: 'file:/run/secrets/teams-soc-webhook', dashboardUrl: 'https://soar.soc-provider.example', language: 'de' });
});

test('the enrichment example turns on the three providers', () => {
  const { enrichment } = loadConfig(example('enrichment'));
  expect([enrichment.virustotal?.apiKeyRef, enrichment.abuseipdb?.apiKeyRef, enrichment.misp?.baseUrl]).toEqual(['file:/run/secrets/virustotal-key', 'env:ABUSEIPDB_KEY', 'https://misp.soc.internal']);
});

test('the SOC webhook example configures the SOC’s receiver', () => {
  expect(loadConfig(example('soc-webhook')).socWebhook).toEqual({ url: 'https://tickets.soc.internal/hooks/soar', secretRef: 'file:/run/secrets/soc-webhook-secret' });
});

test('the tenant webhook example is a valid tenant file block', () => {
  const block = /```yaml\n(webhooks:[\s\S]*?)```/.exec(DOC)?.[1] ?? '';
  const tenant = parseTenantYaml(`${PACKAGE_2}${block}`, FILE);
  expect(tenant.webhooks).toEqual([{ id: 'halopsa', url: 'https://acme.halopsa.example/webhooks/soar', secretRef: 'env:ACME_HALOPSA_WEBHOOK_SECRET', events: ['alert.escalated', 'alert.closed'] }]);
});
