/**
 * The scenario of the fault tests around a Defender isolation: an approved `compromised-device` run whose isolation
 * the worker is following (the fake holds it in progress) when the test breaks something; afterwards the run must
 * finish with every vendor action done once and the customer told once.
 */
import { randomUUID } from 'node:crypto';
import type { RunningSmtpServer } from '../notification/smtpTestServer';
import type { VendorFakes } from '../support/vendors';
import { waitFor } from '../support/waitFor';
import { quietDeviceAlert, type PlaybookHarness } from './playbookHarness';

const HOST = 'ws-0042.rheinwerk.local';

export interface IsolationInProgress {
  alertId: string;
  externalId: string;
  digest: string;
  /** Lets the held MachineAction succeed. */
  finish(): void;
}

/** Decides the approval: by default one request answered 200; a test can break something while it is under way. */
export type Approve = (alertId: string, digest: string) => Promise<void>;

export async function isolationBeingFollowed(harness: PlaybookHarness, fakes: VendorFakes, approve?: Approve): Promise<IsolationInProgress> {
  const externalId = `graph-alert-${randomUUID()}`;
  fakes.graph.addAlert(externalId);
  const alertId = await harness.readyForResponse(quietDeviceAlert(externalId));
  const machine = fakes.defender.machine(HOST);
  fakes.defender.hold = true; // the isolation stays in progress until the test lets it end

  expect((await harness.startPlaybook(alertId, 'compromised-device')).status).toBe(201);
  const waiting = await harness.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'the approval', 60_000);
  const digest = waiting.actions.find((a) => a.state === 'awaiting_approval')?.digest ?? '';
  if (approve) await approve(alertId, digest);
  else expect((await harness.decide(alertId, 'run-1', { digest, decision: 'approve', reason: 'Confirmed' })).status).toBe(200);

  const pending = await waitFor(
    async () => fakes.defender.actions().filter((a) => a.type === 'Isolate' && a.machineId === machine?.id),
    (a) => a.length > 0 && a[0]!.polls > 0,
    'the isolation being followed',
    60_000,
  );
  return { alertId, externalId, digest, finish: () => fakes.defender.finish(pending[0]?.id ?? '', 'Succeeded') };
}

/** The run finished after the fault, every vendor action happened once and the customer was told once, before it. */
export async function expectFinishedOnce(harness: PlaybookHarness, fakes: VendorFakes, smtp: RunningSmtpServer, isolation: IsolationInProgress): Promise<void> {
  const { alertId, externalId, digest } = isolation;
  const finished = await waitFor(() => harness.runIfAnswering(alertId, 'run-1'), (r) => r !== null && r.state !== 'running', 'the run to finish after the restart', 180_000);
  const run = finished ?? (await harness.run(alertId, 'run-1'));
  expect(run.state).toBe('completed');
  expect(run.actions.map((a) => [a.action, a.state])).toEqual([
    ['defender.findMachine', 'done'],
    ['defender.isolateDevice', 'done'],
    ['m365.commentAlert', 'done'],
  ]);
  const machine = fakes.defender.machine(HOST);
  expect(fakes.defender.actions().filter((a) => a.type === 'Isolate' && a.machineId === machine?.id)).toHaveLength(1);
  expect(machine?.isolated).toBe(true);
  expect(fakes.graph.alert(externalId)?.comments).toHaveLength(1);
  // The customer was told once before the measure, not again after the restart.
  const notices = smtp.received.filter((m) => m.mail.text?.includes(digest));
  expect(notices.length).toBeGreaterThan(0);
  expect(notices.length).toBe(run.actions[1]?.notices.length);
}
