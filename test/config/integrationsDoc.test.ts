/** The configuration examples in docs/integrations.md load as written (nothing ships checked by reading). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../infra/config';

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

test('the Teams example configures the SOC’s channel', () => {
  expect(loadConfig(example('teams')).socChannel).toEqual({ webhookUrlRef: 'file:/run/secrets/teams-soc-webhook', dashboardUrl: 'https://soar.soc-provider.example', language: 'de' });
});
