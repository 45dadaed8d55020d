/** The response activities as a whole: one per catalogue action, configuration failures, secret references. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { createResponseActivities } from '../../activities/response';
import { ACTIONS } from '../../domain/response/actionCatalog';
import type { ActionRequest } from '../../domain/response/actionContract';
import { TenantCatalog } from '../../domain/tenant/tenantCatalog';
import { parseTenantYaml } from '../../domain/tenant/loadTenants';
import { createSecretResolver, SecretUnavailableError } from '../../infra/secrets';
import { failureOf } from '../notification/failureOf';
import { NORDWIND, startResponseHarness } from './responseHarness';

const request = (tenantId: string, action: keyof typeof ACTIONS, target: ActionRequest['target']): ActionRequest => ({
  tenantId,
  alertId: 'a-1',
  requestKey: 'run/step/1',
  action,
  target,
  subject: null,
  params: {},
  comment: 'SOC',
});

test('every activity the action catalogue names is a response activity, and lookUpTarget and fetchVendorAlert are there', () => {
  const activities = createResponseActivities({
    tenants: new TenantCatalog([]),
    secrets: createSecretResolver({}),
    endpoints: { graphBaseUrl: 'https://graph.microsoft.com/', authorityHost: 'https://login.microsoftonline.com', defenderBaseUrl: 'https://api.security.microsoft.com' },
  });
  const names = Object.values(ACTIONS).map((spec) => spec.activity);
  expect(Object.keys(activities).sort()).toEqual([...names, 'lookUpTarget', 'fetchVendorAlert'].sort());
  expect(Object.keys(createResponseActivities()).sort()).toEqual([...names, 'lookUpTarget', 'fetchVendorAlert'].sort());
});

test('a worker built without response deps (createActivities without `response`) fails response activities as IntegrationNotConfigured', async () => {
  const activities: Pick<ReturnType<typeof createActivities>, 'm365DisableUser'> = createResponseActivities(undefined);
  const failure = await failureOf(new MockActivityEnvironment().run(activities.m365DisableUser, request('t', 'm365.disableUser', { kind: 'user', upn: 'a@b.example' })));
  expect(failure).toMatchObject({ type: 'IntegrationNotConfigured', nonRetryable: true });
  expect(failure.message).toContain('no response integrations configured');
});

describe('configuration failures', () => {
  let h: Awaited<ReturnType<typeof startResponseHarness>>;
  beforeAll(async () => {
    h = await startResponseHarness();
  });
  afterAll(async () => h.close());

  test('a tenant without Graph credentials gets IntegrationNotConfigured naming what is missing, with no request made', async () => {
    const failure = await failureOf(h.run('m365.disableUser', NORDWIND, { kind: 'user', upn: 'j.becker@nordwind-handel.example' }));
    expect(failure).toMatchObject({ type: 'IntegrationNotConfigured', nonRetryable: true });
    expect(failure.message).toBe("Tenant 'nordwind-handel' has no graph credentials (credentials.graph in its tenant file)");
    expect(h.fakes.requests()).toHaveLength(0);
  });

  test('a secret reference that resolves to nothing is IntegrationNotConfigured naming the reference', async () => {
    const unset = await startResponseHarness({ secrets: createSecretResolver({}) });
    try {
      const failure = await failureOf(unset.run('defender.findMachine', NORDWIND, { kind: 'host', hostname: 'ws-0107.mueller-logistik.local' }));
      expect(failure).toMatchObject({ type: 'IntegrationNotConfigured' });
      expect(failure.message).toContain('Secret env:NORDWIND_DEFENDER_CLIENT_SECRET is not available');
      expect(unset.fakes.requests()).toHaveLength(0);
    } finally {
      await unset.close();
    }
  });

  test('an unknown tenant is IntegrationNotConfigured', async () => {
    const failure = await failureOf(h.run('m365.disableUser', 'no-such-tenant', { kind: 'user', upn: 'x@y.example' }));
    expect(failure).toMatchObject({ type: 'IntegrationNotConfigured' });
  });

  test('a firewall source without an api block is IntegrationNotConfigured', async () => {
    const tenant = parseTenantYaml(
      `id: acme
name: Acme
package: 2
options: { firewall: true }
contacts:
  - { name: Eva Richter, role: management, email: e.richter@acme.example, phone: "+491715550100", mobile: true }
sources:
  - { id: fw, kind: firewall-opnsense }
mailDomain: acme.example
fairUse: { monthlyIncidentBaseline: 5 }
escalation:
  steps:
    - { name: SOC on-call, contact: soc-oncall-1, channel: sms, timeoutMinutes: 15 }
  finalManagementContact: Eva Richter
credentials:
  opnsense: { clientId: key, secretRef: env:ACME_OPNSENSE }
`,
      'acme.yaml',
    );
    const activities = createResponseActivities({ ...h.deps, tenants: new TenantCatalog([tenant]) });
    const blockRequest = { ...request('acme', 'firewall.blockIp', { kind: 'firewall', sourceId: 'fw', vendor: 'opnsense' }), subject: { kind: 'ip', address: '203.0.113.9' } as const };
    const failure = await failureOf(new MockActivityEnvironment().run(activities.firewallBlockIp, blockRequest));
    expect(failure).toMatchObject({ type: 'IntegrationNotConfigured' });
    expect(failure.message).toContain("has no api { url, blockList }");
  });
});

describe('secret references', () => {
  const dir = mkdtempSync(join(tmpdir(), 'soar-secrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('env: and file: references resolve (the file trimmed); failures name the reference, never a value', () => {
    writeFileSync(join(dir, 'token'), '  s3cret-from-file\n');
    const secrets = createSecretResolver({ GRAPH_SECRET: 'from-env', EMPTY: '' });
    expect(secrets.resolve('env:GRAPH_SECRET')).toBe('from-env');
    expect(secrets.resolve(`file:${join(dir, 'token')}`)).toBe('s3cret-from-file');
    expect(() => secrets.resolve('env:MISSING')).toThrow(new SecretUnavailableError('env:MISSING', 'the environment variable is not set or empty'));
    expect(() => secrets.resolve('env:EMPTY')).toThrow(SecretUnavailableError);
    expect(() => secrets.resolve(`file:${join(dir, 'absent')}`)).toThrow(/\(ENOENT\)/);
  });
});
