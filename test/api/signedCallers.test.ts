/**
 * Temporal access is an admin boundary (issue 15): an Update from a raw Temporal client cannot pose as an analyst.
 * The API signs a caller assertion for each Update it sends (domain/callerAssertion.ts); the workflow verifies it
 * against the public keys in its input (workflows/signedCaller.ts) and refuses anything else, leaving no history event.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { CallerSigner } from '../../infra/crypto/callerSigner';
import { PayloadKeyring, randomKeySet } from '../../infra/crypto/payloadKeys';
import { assessAlertUpdate, claimAlertUpdate, decideActionUpdate, undoRunUpdate } from '../../workflows/messages';
import { sampleAlert } from '../support/alerts';
import { PlaybookHarness, SECOND_ANALYST } from '../playbooks/playbookHarness';
import { alwaysInService, startTestEngine, type TestEngine } from '../support/testEngine';
import { testCallerSigner } from '../support/testEnv';

let engine: TestEngine;
const harness = new PlaybookHarness(() => engine);

beforeAll(async () => {
  engine = await startTestEngine({ policy: alwaysInService });
}, 120_000);
afterAll(async () => engine?.stop());

/** The refusal's message, or 'accepted'. */
const outcome = (update: Promise<unknown>) =>
  update.then(
    () => 'accepted',
    (error: unknown) => (error instanceof WorkflowUpdateFailedError ? String(error.cause?.message) : `unexpected: ${String(error)}`),
  );

const updateEvents = async (handle: WorkflowHandle) =>
  ((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateAdmittedEventAttributes).length;

const analystId = 'dev-analyst';
const muellerAlert = () =>
  sampleAlert({
    tenantId: 'mueller-logistik',
    source: 'm365',
    title: 'Atypical sign-in followed by inbox rule',
    entities: { users: [{ name: `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example` }], hosts: [], ips: [], files: [], processes: [], urls: [] },
  });
const caller = { principal: analystId, role: 'analyst', tenant: null };

describe('signed callers on an alert', () => {
  let alertId: string;
  let handle: WorkflowHandle;

  beforeAll(async () => {
    alertId = await harness.submit(muellerAlert());
    await harness.untilAwaitingTriage(alertId);
    handle = engine.client.workflow.getHandle(alertId);
  }, 60_000);

  test('R18 an Update from a raw Temporal client naming an analyst without a signed assertion is refused and leaves no history event', async () => {
    const before = await updateEvents(handle);
    expect(await outcome(handle.executeUpdate(claimAlertUpdate, { args: [{ analyst: { id: analystId } }] }))).toMatch(/claimAlert refused: .*no signed caller assertion/);
    expect(await updateEvents(handle)).toBe(before);
  });

  test('R18 an assertion signed with a key the alert does not trust, for another argument, or for another Update id is refused', async () => {
    const forger = new CallerSigner(PayloadKeyring.from({ default: randomKeySet(), tenants: {} }));
    const forged = forger.update(caller, alertId, claimAlertUpdate, { analyst: { id: analystId } });
    expect(await outcome(handle.executeUpdate(claimAlertUpdate, forged))).toMatch(/no signature by a trusted key/);

    // A real assertion (as one captured from the API's traffic) with the analyst swapped in the argument.
    const genuine = testCallerSigner().update(caller, alertId, claimAlertUpdate, { analyst: { id: analystId } });
    const swapped = { ...genuine, args: [{ ...genuine.args[0], analyst: { id: 'mallory' } }] as typeof genuine.args };
    expect(await outcome(handle.executeUpdate(claimAlertUpdate, swapped))).toMatch(/the argument is not the one signed/);
    // The same assertion sent under another Update id (a replay) is refused; under its own id it is the one claim.
    expect(await outcome(handle.executeUpdate(claimAlertUpdate, { ...genuine, updateId: randomUUID() }))).toMatch(/another Update id/);
    // Signed for another workflow, or another Update.
    const elsewhere = testCallerSigner().update(caller, `${alertId}x`, claimAlertUpdate, { analyst: { id: analystId } });
    expect(await outcome(handle.executeUpdate(claimAlertUpdate, elsewhere))).toMatch(/signed for workflow/);
    const otherUpdate = testCallerSigner().update(caller, alertId, assessAlertUpdate, { analyst: { id: analystId } } as never);
    expect(await outcome(handle.executeUpdate(claimAlertUpdate, otherUpdate as never))).toMatch(/signed for assessAlert/);
    expect((await harness.read(alertId)).state).toBe('awaiting_triage');
  });

  test('R18 the API path works: the claim through the API is signed and accepted, the analyst recorded', async () => {
    const claimed = await harness.act(alertId, 'claim', {});
    expect(claimed.status).toBe(200);
    expect(claimed.body.state).toBe('in_triage');
    expect(claimed.body.triage.assignedAnalyst).toBe(analystId);
  });
});

describe('signed callers on a playbook run', () => {
  test('R8 R18 approvals and undo of a run from a raw client are refused, however the approver is named; the API\'s own Updates pass the check', async () => {
    const alertId = await harness.readyForResponse(muellerAlert());
    expect((await harness.startPlaybook(alertId, 'compromised-account')).status).toBe(201);
    // Without vendor adapters the run fails at its first look-up and then waits for an undo or the alert's close.
    const run = await harness.untilRun(alertId, 'run-1', (r) => r.state !== 'running', 'the run to end its steps');
    const handle = engine.client.workflow.getHandle(`${alertId}.run-1`);
    const before = await updateEvents(handle);
    const approver = { id: SECOND_ANALYST, role: 'analyst' };
    const digest = run.actions[0]?.digest ?? 'sha256:0';
    expect(await outcome(handle.executeUpdate(decideActionUpdate, { args: [{ approver, digest, decision: 'approve', reason: 'forged' }] }))).toMatch(/decideAction refused: .*no signed caller assertion/);
    // A genuine signature for the second analyst, presented with the role raised to admin, is refused.
    const signed = testCallerSigner().update({ principal: SECOND_ANALYST, role: 'analyst', tenant: null }, `${alertId}.run-1`, decideActionUpdate, { approver, digest, decision: 'approve' as const, reason: 'x' });
    const raised = { ...signed, args: [{ ...signed.args[0], approver: { id: SECOND_ANALYST, role: 'admin' } }] as typeof signed.args };
    expect(await outcome(handle.executeUpdate(decideActionUpdate, raised))).toMatch(/decideAction refused: .*the argument is not the one signed/);
    expect(await outcome(handle.executeUpdate(undoRunUpdate, { args: [{ analyst: { id: analystId }, reason: 'forged' }] }))).toMatch(/undoRun refused/);
    expect(await updateEvents(handle)).toBe(before);

    // Through the API the undo is signed: the run's own rule answers (nothing left to undo), not the caller check.
    const undo = await harness.undo(alertId, 'run-1', 'customer asked');
    expect(undo.body.error?.message ?? '').not.toMatch(/refused: the caller/);
    expect([200, 409]).toContain(undo.status);
  });
});
