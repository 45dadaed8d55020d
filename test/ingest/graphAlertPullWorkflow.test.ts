/**
 * The scheduled Microsoft 365 intake (R3, issue 6): a tenant's Graph security alerts are pulled from its watermark,
 * each new one starts its alert workflow, none twice, and alerts that cannot be taken are reported, never dropped.
 * The real Graph client and identity library against the HTTPS fakes; a real Temporal server runs the workflows.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { graphPullBlockedReason } from '../../activities/intake/graphIntakeActivities';
import { alertIdFor } from '../../domain/alertIdentity';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { createSecretResolver } from '../../infra/secrets';
import { ensureGraphPullSchedules, graphPullScheduleId } from '../../infra/temporal/graphPullSchedule';
import { graphAlertPullWorkflow, type GraphAlertPullReport } from '../../workflows/graphAlertPullWorkflow';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';
import { startVendorFakes, writeVendorTestTenants, type VendorFakes } from '../support/vendors';

const MUELLER_AZURE = 'b3c8f0a4-5f2e-4d6b-9c1a-7e2f1d3a4b5c';

let engine: TestEngine;
let fakes: VendorFakes;
let tenantsDir: string;
let secretEnv: Record<string, string>;

beforeAll(async () => {
  fakes = await startVendorFakes();
  ({ tenantsDir, env: secretEnv } = writeVendorTestTenants(mkdtempSync(join(testTemporal().workDir, 'graph-pull-')), fakes, join(REPO, 'config/tenants')));
  engine = await startTestEngine({ tenantsDir, vendors: { endpoints: fakes.endpoints, secretEnv }, ownNamespace: true });
});
afterAll(async () => {
  await engine?.stop();
  await fakes?.close();
});
// One Graph fake stands for each tenant's own Graph in turn: every test starts with an empty listing.
beforeEach(() => fakes.graph.reset());

/** A Microsoft 365 alert as Graph lists it, from mueller-logistik's Azure tenant unless told otherwise. */
function listAlert(id: string, lastUpdateDateTime: string, body: Record<string, unknown> = {}) {
  fakes.graph.putListedAlert({
    id,
    lastUpdateDateTime,
    title: `Suspicious inbox rule ${id}`,
    body: { tenantId: MUELLER_AZURE, description: 'A forwarding rule to an external address', createdDateTime: lastUpdateDateTime, evidence: [], ...body },
  });
}

const pull = (tenantId: string): Promise<GraphAlertPullReport> =>
  engine.client.workflow.execute(graphAlertPullWorkflow, { taskQueue: engine.taskQueue, workflowId: `graph-pull.${tenantId}.${randomUUID()}`, args: [{ tenantId }] });

/** The alert workflow of a Graph alert of mueller-logistik's Microsoft 365 source, or null. */
async function alertWorkflowOf(graphAlertId: string) {
  const handle = engine.client.workflow.getHandle(alertIdFor({ tenantId: 'mueller-logistik', source: 'm365', externalId: graphAlertId }));
  try {
    return await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

const listingFilters = () => fakes.requests('graph').filter((r) => r.path === '/v1.0/security/alerts_v2').map((r) => r.query.$filter);

test('R3 a Graph pull starts one alert workflow per new Microsoft 365 alert, resumes from its watermark and starts none twice', async () => {
  const ids = [1, 2, 3].map((i) => `pull-${i}-${randomUUID()}`);
  ids.forEach((id, i) => listAlert(id, `2026-11-26T09:0${i}:00Z`));

  const first = await pull('mueller-logistik');
  expect(first).toMatchObject({ tenantId: 'mueller-logistik', received: 3, started: 3, duplicates: 0, refusedCount: 0, pages: 2 });
  expect(first.watermark).toEqual({ lastUpdateDateTime: '2026-11-26T09:02:00Z', idsAtWatermark: [ids[2]] });
  for (const id of ids) {
    const described = await alertWorkflowOf(id);
    expect(described?.type).toBe('alertWorkflow');
    expect(described?.memo?.title).toBe(`Suspicious inbox rule ${id}`);
  }

  // Nothing new: the next pull asks from the watermark and starts nothing.
  const again = await pull('mueller-logistik');
  expect(again).toMatchObject({ received: 0, started: 0, duplicates: 0, from: '2026-11-26T09:02:00Z' });
  expect(listingFilters().at(-1)).toBe('lastUpdateDateTime ge 2026-11-26T09:02:00Z');

  // An update of a known alert is a duplicate (its workflow exists); a new alert starts one.
  const fresh = `pull-4-${randomUUID()}`;
  listAlert(ids[0] as string, '2026-11-26T09:10:00Z');
  listAlert(fresh, '2026-11-26T09:11:00Z');
  const third = await pull('mueller-logistik');
  expect(third).toMatchObject({ received: 2, started: 1, duplicates: 1, refusedCount: 0 });
  expect(await alertWorkflowOf(fresh)).not.toBeNull();
});

test('R1 an alert that cannot be taken is reported with its id and reason, the others are started and the watermark moves on', async () => {
  const good = `good-${randomUUID()}`;
  const foreign = `foreign-${randomUUID()}`;
  const broken = `broken-${randomUUID()}`;
  listAlert(good, '2026-11-26T10:00:00Z');
  listAlert(foreign, '2026-11-26T10:01:00Z', { tenantId: '4f1d2a7c-8b3e-4c5d-a9f0-1e2d3c4b5a69' });
  listAlert(broken, '2026-11-26T10:02:00Z', { evidence: 'not a list' });

  const report = await pull('mueller-logistik');

  expect(report).toMatchObject({ received: 3, started: 1, refusedCount: 2 });
  expect(report.refused).toEqual(
    expect.arrayContaining([
      { graphAlertId: foreign, reason: expect.stringMatching(/Azure tenant '4f1d2a7c-8b3e-4c5d-a9f0-1e2d3c4b5a69' is not a Microsoft 365 tenant connected for 'mueller-logistik' \(R1/) },
      { graphAlertId: broken, reason: expect.stringMatching(/^evidence: /) },
    ]),
  );
  expect(await alertWorkflowOf(good)).not.toBeNull();
  expect(await alertWorkflowOf(foreign)).toBeNull();
  expect(report.watermark?.lastUpdateDateTime).toBe('2026-11-26T10:02:00Z');
});

test('a failing Graph is retried past the client\'s own retries, and the pull loses no alert', async () => {
  const id = `retry-${randomUUID()}`;
  listAlert(id, '2026-11-26T11:00:00Z');
  const before = listingFilters().length;
  // More failures than the Graph client retries by itself (3): the activity attempt fails and Temporal retries it.
  fakes.graph.failNext(5, { status: 503, retryAfter: '0' }, 'alerts_v2');

  const report = await pull('mueller-logistik');

  expect(listingFilters().length - before).toBe(6);
  expect(report).toMatchObject({ received: 1, started: 1 });
  expect(await alertWorkflowOf(id)).not.toBeNull();
});

test('R3 every tenant with Graph credentials gets a pull schedule; one whose secret is missing is paused with the reason and resumed once it is there', async () => {
  const tenants = loadTenantDirectory(tenantsDir);
  const { client } = engine;
  const setup = { client, taskQueue: engine.taskQueue, tenants: tenants.all(), intervalMinutes: 5 };
  const withoutSecrets = graphPullBlockedReason({ tenants, secrets: createSecretResolver({}), endpoints: fakes.endpoints });
  await ensureGraphPullSchedules({ ...setup, blockedReason: withoutSecrets });

  const mueller = await client.schedule.getHandle(graphPullScheduleId('mueller-logistik')).describe();
  expect(mueller.state.paused).toBe(true);
  expect(mueller.state.note).toMatch(/^Paused by the engine: .*MUELLER_GRAPH_CLIENT_SECRET/);
  expect(mueller.spec.intervals).toMatchObject([{ every: 5 * 60_000 }]);
  expect(mueller.action).toMatchObject({ type: 'startWorkflow', workflowType: 'graphAlertPullWorkflow', taskQueue: engine.taskQueue });
  // nordwind-handel has Defender credentials only: nothing to pull from Graph.
  await expect(client.schedule.getHandle(graphPullScheduleId('nordwind-handel')).describe()).rejects.toThrow(/not found/i);

  const withSecrets = graphPullBlockedReason({ tenants, secrets: createSecretResolver(secretEnv), endpoints: fakes.endpoints });
  await ensureGraphPullSchedules({ ...setup, blockedReason: withSecrets });
  const resumed = await client.schedule.getHandle(graphPullScheduleId('mueller-logistik')).describe();
  expect(resumed.state.paused).toBe(false);

  // A run of the schedule is a real pull: it starts the alert waiting in Graph.
  const id = `scheduled-${randomUUID()}`;
  listAlert(id, '2026-11-26T12:00:00Z');
  await client.schedule.getHandle(graphPullScheduleId('mueller-logistik')).trigger();
  await waitFor(() => alertWorkflowOf(id), (described) => described !== null, 'the scheduled pull to start the alert');

  // An operator's pause is kept: the engine does not resume what a person paused.
  await client.schedule.getHandle(graphPullScheduleId('rheinwerk-maschinenbau')).pause('Paused by the SOC: customer migration');
  await ensureGraphPullSchedules({ ...setup, blockedReason: withSecrets });
  const kept = await client.schedule.getHandle(graphPullScheduleId('rheinwerk-maschinenbau')).describe();
  expect(kept.state).toMatchObject({ paused: true, note: 'Paused by the SOC: customer migration' });
});

/** mueller-logistik's Graph app id, as its tenant file names it. */
const muellerGraphApp = () => loadTenantDirectory(tenantsDir).get('mueller-logistik')?.credentials?.graph?.clientId ?? 'mueller-logistik has no credentials.graph.clientId';

test('R13 a Graph secret Entra ID refuses pauses the tenant\'s pull at start with the reason, never the secret', async () => {
  const tenants = loadTenantDirectory(tenantsDir);
  const { client } = engine;
  const setup = { client, taskQueue: engine.taskQueue, tenants: tenants.all(), intervalMinutes: 5 };
  const blockedReason = graphPullBlockedReason({ tenants, secrets: createSecretResolver(secretEnv), endpoints: fakes.endpoints });
  fakes.entra.refuseClient(muellerGraphApp());
  try {
    await ensureGraphPullSchedules({ ...setup, blockedReason });
  } finally {
    fakes.entra.reset();
  }

  const mueller = await client.schedule.getHandle(graphPullScheduleId('mueller-logistik')).describe();
  expect(mueller.state.paused).toBe(true);
  expect(mueller.state.note).toMatch(/^Paused by the engine: Tenant 'mueller-logistik' graph credentials: Entra ID gave no token: .*AADSTS7000215/);
  expect(mueller.state.note).not.toContain(secretEnv.MUELLER_GRAPH_CLIENT_SECRET);
  // Only the refused tenant is paused by the engine; the others' secrets work (an operator's pause may stand).
  const rheinwerk = await client.schedule.getHandle(graphPullScheduleId('rheinwerk-maschinenbau')).describe();
  expect(rheinwerk.state.note ?? '').not.toMatch(/^Paused by the engine/);

  // A later start with a working secret resumes it.
  await ensureGraphPullSchedules({ ...setup, blockedReason });
  expect((await client.schedule.getHandle(graphPullScheduleId('mueller-logistik')).describe()).state.paused).toBe(false);
});

test('R13 a Graph secret Entra ID accepts keeps the tenant\'s pull running, checked with a real token request', async () => {
  const tenants = loadTenantDirectory(tenantsDir);
  const { client } = engine;
  const blockedReason = graphPullBlockedReason({ tenants, secrets: createSecretResolver(secretEnv), endpoints: fakes.endpoints });
  const tokensBefore = fakes.entra.tokens().length;
  await ensureGraphPullSchedules({ client, taskQueue: engine.taskQueue, tenants: tenants.all(), intervalMinutes: 5, blockedReason });

  const mueller = await client.schedule.getHandle(graphPullScheduleId('mueller-logistik')).describe();
  expect(mueller.state.paused).toBe(false);
  expect(fakes.entra.tokens().slice(tokensBefore)).toEqual(
    expect.arrayContaining([expect.objectContaining({ clientId: muellerGraphApp(), scope: expect.stringContaining('https://graph.microsoft.com/.default') })]),
  );
});

test('R13 a token request that fails for no refusal (Entra ID unreachable) pauses nothing', async () => {
  const tenants = loadTenantDirectory(tenantsDir);
  const { client } = engine;
  // A port nothing listens on: the connection is refused, Entra ID never answers (the library calls it "unavailable").
  const unreachable = { ...fakes.endpoints, authorityHost: 'https://127.0.0.1:9' };
  const blockedReason = graphPullBlockedReason({ tenants, secrets: createSecretResolver(secretEnv), endpoints: unreachable, requestTimeoutMs: 5_000 });
  await ensureGraphPullSchedules({ client, taskQueue: engine.taskQueue, tenants: tenants.all(), intervalMinutes: 5, blockedReason });

  const mueller = await client.schedule.getHandle(graphPullScheduleId('mueller-logistik')).describe();
  expect(mueller.state.paused).toBe(false);
});
