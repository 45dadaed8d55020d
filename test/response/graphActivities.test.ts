/** The Microsoft 365 measures through the unmodified Graph client and @azure/identity, against the HTTPS Graph and Entra fakes. */
import { failureOf } from '../notification/failureOf';
import { MUELLER, RHEINWERK, startResponseHarness, type ResponseHarness } from './responseHarness';
import { VENDOR_TEST_SECRETS } from '../support/vendors';

const MUELLER_APP = '5e2b7c91-3f4a-4d8e-b6c0-9a1d2e3f4b5c';
const MUELLER_AZURE = 'b3c8f0a4-5f2e-4d6b-9c1a-7e2f1d3a4b5c';
const becker = { kind: 'user', upn: 'j.becker@mueller-logistik.example' } as const;
const alert = { kind: 'alert', source: 'm365', externalId: 'da637551227677560813_-961444813' } as const;

let h: ResponseHarness;
beforeAll(async () => {
  h = await startResponseHarness();
});
afterAll(async () => h.close());
beforeEach(() => h.reset());

function graphCalls(method: string) {
  return h.fakes.requests('graph').filter((r) => r.method === method);
}

test('R8 disables an Entra ID account: token from the tenant authority, check first, then PATCH accountEnabled=false with the Bearer token', async () => {
  const result = await h.run('m365.disableUser', MUELLER, becker);

  expect(result).toMatchObject({ outcome: 'done', vendorReference: h.fakes.graph.user(becker.upn).id });
  expect(h.fakes.graph.user(becker.upn).accountEnabled).toBe(false);
  const [token] = h.fakes.entra.tokens();
  expect(token).toMatchObject({ tenant: MUELLER_AZURE, clientId: MUELLER_APP, scope: 'https://graph.microsoft.com/.default' });
  const tokenRequest = h.fakes.requests('entra').find((r) => r.method === 'POST');
  expect(tokenRequest?.body).toMatchObject({ grant_type: 'client_credentials', client_id: MUELLER_APP, client_secret: VENDOR_TEST_SECRETS.MUELLER_GRAPH_CLIENT_SECRET });
  const [get] = graphCalls('GET');
  expect(get).toMatchObject({ path: `/v1.0/users/${becker.upn}`, query: { $select: 'id,accountEnabled,userPrincipalName,mail,proxyAddresses' } });
  const patches = graphCalls('PATCH');
  expect(patches).toHaveLength(1);
  expect(patches[0]).toMatchObject({ path: `/v1.0/users/${h.fakes.graph.user(becker.upn).id}`, body: { accountEnabled: false }, authorization: `Bearer ${token?.token}` });
});

test('R8 an account that is already disabled is reported already_done and not patched again', async () => {
  h.fakes.graph.user(becker.upn).accountEnabled = false;
  const result = await h.run('m365.disableUser', MUELLER, becker);
  expect(result.outcome).toBe('already_done');
  expect(graphCalls('PATCH')).toHaveLength(0);
});

test('enableUser (the undo) re-enables a disabled account; an enabled one is already_done', async () => {
  h.fakes.graph.user(becker.upn).accountEnabled = false;
  expect((await h.run('m365.enableUser', MUELLER, becker)).outcome).toBe('done');
  expect(h.fakes.graph.user(becker.upn).accountEnabled).toBe(true);
  expect(graphCalls('PATCH')[0]?.body).toEqual({ accountEnabled: true });
  expect((await h.run('m365.enableUser', MUELLER, becker)).outcome).toBe('already_done');
  expect(graphCalls('PATCH')).toHaveLength(1);
});

test.each([200, 204] as const)('revokes sign-in sessions when Graph answers %i', async (status) => {
  h.fakes.graph.revokeStatus = status;
  const result = await h.run('m365.revokeSessions', MUELLER, becker);
  expect(result.outcome).toBe('done');
  expect(h.fakes.graph.user(becker.upn).sessionsRevoked).toBe(1);
  expect(graphCalls('POST')[0]).toMatchObject({ path: `/v1.0/users/${becker.upn}/revokeSignInSessions` });
  expect(graphCalls('POST')[0]?.authorization).toMatch(/^Bearer fake-access-token-/);
});

test('confirms a user compromised by object id (looked up first when the target has none)', async () => {
  const id = h.fakes.graph.user(becker.upn).id;
  const result = await h.run('m365.confirmCompromised', MUELLER, becker);
  expect(result).toMatchObject({ outcome: 'done', vendorReference: id });
  expect(h.fakes.graph.confirmedCompromised).toEqual([id]);
  expect(graphCalls('POST')[0]).toMatchObject({ path: '/v1.0/identityProtection/riskyUsers/confirmCompromised', body: { userIds: [id] } });

  h.reset();
  await h.run('m365.confirmCompromised', MUELLER, { ...becker, objectId: id });
  expect(graphCalls('GET')).toHaveLength(0);
});

test('comments on the alert (request comment by default, the step comment when given) and updates it', async () => {
  await h.run('m365.commentAlert', MUELLER, alert);
  await h.run('m365.commentAlert', MUELLER, alert, null, { comment: 'Account disabled by the SOC' });
  expect(h.fakes.graph.alert(alert.externalId)?.comments).toEqual(['SOC playbook run run-1: m365.commentAlert', 'Account disabled by the SOC']);
  expect(graphCalls('POST')[0]).toMatchObject({
    path: `/v1.0/security/alerts_v2/${alert.externalId}/comments`,
    body: { '@odata.type': 'microsoft.graph.security.alertComment', comment: 'SOC playbook run run-1: m365.commentAlert' },
  });

  const updated = await h.run('m365.updateAlert', MUELLER, alert, null, { status: 'resolved', classification: 'truePositive', determination: 'compromisedAccount' });
  expect(updated.outcome).toBe('done');
  expect(graphCalls('PATCH')[0]?.body).toEqual({ status: 'resolved', classification: 'truePositive', determination: 'compromisedAccount' });
  expect(h.fakes.graph.alert(alert.externalId)).toMatchObject({ status: 'resolved', classification: 'truePositive', determination: 'compromisedAccount' });
});

test('a 429 storm is ridden out by the Graph client RetryHandler honouring Retry-After', async () => {
  h.fakes.graph.failNext(3, { status: 429, retryAfter: '0' });
  const result = await h.run('m365.disableUser', MUELLER, becker);
  expect(result.outcome).toBe('done');
  expect(graphCalls('GET')).toHaveLength(4);
  expect(graphCalls('GET')[3]?.headers['retry-attempt']).toBe('3');
});

test('throttling beyond the client retries is a retryable failure with the Retry-After delay', async () => {
  h.fakes.graph.failNext(4, { status: 429, retryAfter: '0' });
  const failure = await failureOf(h.run('m365.disableUser', MUELLER, becker));
  expect(failure).toMatchObject({ type: 'VendorUnavailable', nonRetryable: false });
  expect(failure.message).toContain('429 TooManyRequests');
  expect(h.fakes.graph.user(becker.upn).accountEnabled).toBe(true);
});

test("R8 a 403 on disabling an admin is VendorRefused with Graph's code and message, and no secret in it", async () => {
  const admin = { kind: 'user', upn: 'it-admin@mueller-logistik.example' } as const;
  const failure = await failureOf(h.run('m365.disableUser', MUELLER, admin));
  expect(failure).toMatchObject({ type: 'VendorRefused', nonRetryable: true });
  expect(failure.message).toBe('Graph refused PATCH /users/it-admin@mueller-logistik.example: 403 Authorization_RequestDenied: Insufficient privileges to complete the operation.');
  expect(JSON.stringify(failure)).not.toContain(VENDOR_TEST_SECRETS.MUELLER_GRAPH_CLIENT_SECRET);
  expect(h.fakes.graph.user(admin.upn).accountEnabled).toBe(true);
});

test('a user Graph does not know is TargetNotFound', async () => {
  const failure = await failureOf(h.run('m365.disableUser', MUELLER, { kind: 'user', upn: 'nobody@mueller-logistik.example' }));
  expect(failure).toMatchObject({ type: 'TargetNotFound', nonRetryable: true });
  expect(failure.message).toContain('Request_ResourceNotFound');
});

test('Entra ID refusing the app secret is VendorRefused without the secret in the message', async () => {
  h.fakes.entra.refuseClient('9c4e1a7b-6d2f-4b8a-a3e5-0f1c2d3e4a5b');
  const failure = await failureOf(h.run('m365.disableUser', RHEINWERK, { kind: 'user', upn: 'p.lang@rheinwerk-maschinenbau.example' }));
  expect(failure).toMatchObject({ type: 'VendorRefused', nonRetryable: true });
  expect(failure.message).toContain('AADSTS7000215');
  expect(JSON.stringify(failure)).not.toContain(VENDOR_TEST_SECRETS.RHEINWERK_GRAPH_CLIENT_SECRET);
  expect(h.fakes.requests('graph')).toHaveLength(0);
});

test('R8 lookUpTarget gives the user object id and every transitive group, following @odata.nextLink', async () => {
  const facts = await h.activities.lookUpTarget({ tenantId: MUELLER, target: becker });
  expect(facts).toEqual({
    target: { ...becker, objectId: h.fakes.graph.user(becker.upn).id },
    groups: ['MU-Office-Users', 'MU-Dispatch', 'MU-All-Staff'],
    found: true,
    identity: { name: becker.upn, aliases: [becker.upn, `SMTP:${becker.upn}`] },
  });
  const pages = graphCalls('GET').filter((r) => r.path.endsWith('/transitiveMemberOf/microsoft.graph.group'));
  expect(pages).toHaveLength(2);
  expect(pages[0]?.query).toEqual({ $select: 'displayName' });
  expect(pages[1]?.query).toMatchObject({ $skiptoken: '2' });

  expect(await h.activities.lookUpTarget({ tenantId: MUELLER, target: { kind: 'user', upn: 'ghost@mueller-logistik.example' } })).toEqual({
    target: { kind: 'user', upn: 'ghost@mueller-logistik.example' },
    groups: [],
    found: false,
  });
});
