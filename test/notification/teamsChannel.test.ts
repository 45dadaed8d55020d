/**
 * The SOC's Teams channel through a Workflows incoming webhook (an HTTPS fake of Microsoft's documented shapes):
 * critical incidents, escalation steps and approvals waiting arrive as Adaptive Cards in the SOC's language, with the
 * dashboard page that decides, and without the customer's data.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AlertActivities } from '../../activities';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { FakeVendors } from '../playbooks/fakeVendors';
import { PlaybookHarness } from '../playbooks/playbookHarness';
import { sampleAlert } from '../support/alerts';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { startTeamsWorkflowFake, type RunningTeamsFake } from '../support/vendors/teamsWorkflowFake';
import { waitFor } from '../support/waitFor';

let engine: TestEngine;
let teams: RunningTeamsFake;
const vendors = new FakeVendors(() => 0);
const harness = new PlaybookHarness(() => engine);
const DASHBOARD = 'https://soc.soc-provider.example';

beforeAll(async () => {
  teams = await startTeamsWorkflowFake();
  engine = await startTestEngine({
    rulesDir: join(REPO, 'test/fixtures/rules'),
    env: { SOAR_TEAMS_WEBHOOK_URL_REF: 'env:TEST_TEAMS_WEBHOOK_URL', SOAR_DASHBOARD_URL: DASHBOARD },
    secretEnv: { TEST_TEAMS_WEBHOOK_URL: teams.webhookUrl },
    activities: (real) => ({ ...real, ...vendors.activities() }) as AlertActivities,
    policy: (policy: TenantPolicy): TenantPolicy => ({
      ...policy,
      terms: { ...policy.terms, windows: [{ from: '2020-01-01T00:00:00Z', to: '2050-01-01T00:00:00Z' }] },
      escalation: policy.escalation && { ...policy.escalation, steps: policy.escalation.steps.map((s) => ({ ...s, timeoutMs: 500 })) },
      response: { ...policy.response, approvalTimeoutMs: 60_000 },
    }),
  });
});
afterAll(async () => {
  await engine?.stop();
  await teams?.close();
});

const cardsOf = (alertId: string) => teams.cards.filter((c) => JSON.stringify(c).includes(alertId));
const headline = (card: Record<string, unknown>) => (card['body'] as { text?: string }[])[0]?.text;

test('a critical incident and each escalation step reach the SOC’s Teams channel in German, linking the alert’s dashboard page, without customer data', async () => {
  const user = `j.becker-${randomUUID().slice(0, 6)}`;
  const alert = sampleAlert({ tenantId: 'mueller-logistik', entities: { ...sampleAlert().entities, users: [{ name: user }] } });
  const alertId = await harness.submit(alert);
  // No phone or mail is configured here: each page fails at once and the chain runs through its three steps.
  const cards = await waitFor(async () => cardsOf(alertId), (found) => found.length >= 4, 'the critical card and three escalation cards', 30_000);

  // Posts run beside the escalation, so they may arrive in any order.
  expect(cards.map(headline).sort()).toEqual([
    'Eskalation Stufe 1 (SOC on-call): Vorfall noch nicht übernommen',
    'Eskalation Stufe 2 (SOC on-call backup): Vorfall noch nicht übernommen',
    'Eskalation Stufe 3 (SOC lead): Vorfall noch nicht übernommen',
    'Kritischer Vorfall, noch nicht übernommen',
  ]);
  const critical = cards.find((c) => headline(c)?.startsWith('Kritischer'));
  expect(critical).toMatchObject({ type: 'AdaptiveCard', version: '1.4', lang: 'de', actions: [{ type: 'Action.OpenUrl', title: 'Vorfall im Dashboard öffnen', url: `${DASHBOARD}/dashboard/alerts/${alertId}` }] });
  expect((critical?.['body'] as { facts?: { title: string; value: string }[] }[])[1]?.facts).toEqual(
    expect.arrayContaining([
      { title: 'Mandant', value: 'mueller-logistik' },
      { title: 'Schwere', value: 'kritisch' },
      { title: 'Meldung', value: alertId },
    ]),
  );
  // Only the SOC's facts leave the engine: not the alert's title, entities or command lines.
  const posted = JSON.stringify(teams.requests.filter((r) => JSON.stringify(r.body).includes(alertId)).map((r) => r.body));
  for (const customerData of [alert.title, user, 'WS-0231', 'procdump64', '+4928219990101']) expect(posted).not.toContain(customerData);
});

test('an approval waiting is posted with the dashboard’s approvals page, naming the action but not its target', async () => {
  const upn = `k.weber-${randomUUID().slice(0, 6)}@mueller-logistik.example`;
  const alertId = await harness.readyForResponse(
    sampleAlert({ tenantId: 'mueller-logistik', source: 'm365', title: 'Atypical sign-in', entities: { users: [{ name: upn, upn }], hosts: [], ips: [], files: [], processes: [], urls: [] } }),
  );
  expect((await harness.startPlaybook(alertId, 'compromised-account')).status).toBe(201);
  const cards = await waitFor(async () => cardsOf(alertId).filter((c) => headline(c)?.startsWith('Freigabe')), (found) => found.length >= 1, 'the approval card');
  expect(headline(cards[0] ?? {})).toBe('Freigabe ausstehend: m365.disableUser');
  expect(cards[0]).toMatchObject({ actions: [{ title: 'Freigaben im Dashboard öffnen', url: `${DASHBOARD}/dashboard/approvals` }] });
  expect(JSON.stringify(cards[0])).not.toContain(upn);
});

test('a card Teams refuses for good is recorded in the alert’s timeline, and the escalation goes on', async () => {
  // A tenant no other test here uses, so that no other alert's card meets the refusal.
  teams.failNext(403, 'rheinwerk-maschinenbau');
  const alertId = await harness.submit(sampleAlert({ tenantId: 'rheinwerk-maschinenbau' }));
  const status = await waitFor(
    () => harness.read(alertId),
    // The critical card and the first step's card go out together: either may meet the refusal.
    (s) => s.timeline.some((e) => e.kind === 'notification_failed' && /^SOC channel card '(critical_incident|escalation)' failed for good/.test(e.detail)),
    'the refused card in the timeline',
    30_000,
  );
  expect(status.timeline.find((e) => e.detail.startsWith('SOC channel card'))?.detail).toContain('HTTP 403');
  expect(status.timeline.find((e) => e.detail.startsWith('SOC channel card'))?.detail).not.toContain('sig=');
  await waitFor(() => harness.read(alertId), (s) => s.notifications.some((n) => n.purpose === 'management_escalation'), 'the escalation to reach management', 30_000);
});
