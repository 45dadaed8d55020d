/** Drives alerts to the hand-off to response through the REST API, and reads playbook runs, for the playbook tests. */
import request from 'supertest';
import type { AlertStatus } from '../../domain/alertLifecycle';
import type { NormalisedAlertInput } from '../../domain/alert';
import { sampleAlert } from '../support/alerts';
import type { PlaybookRunStatus } from '../../domain/response/playbookRun';
import type { TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';
import type { VendorFakes } from '../support/vendors';

export const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

/** What the harness talks to: an in-process engine's app, or the URL of an API process, and the dev keys. */
export interface ApiUnderTest {
  app: TestEngine['app'] | string;
  key(role: string, tenantId?: string, keyId?: string): string;
}

/** The dev analyst who approves in tests: not the one who starts runs, as the four-eyes principle asks (R8). */
export const SECOND_ANALYST = 'a.schmidt';

export class PlaybookHarness {
  constructor(private readonly engine: () => ApiUnderTest) {}

  analyst(): string {
    return this.engine().key('analyst');
  }

  /** A second analyst's key: approvals of measures under four-eyes need someone else than the run's starter. */
  approver(): string {
    return this.engine().key('analyst', undefined, SECOND_ANALYST);
  }

  async submit(body: NormalisedAlertInput): Promise<string> {
    const response = await request(this.engine().app).post('/v1/alerts').set(auth(this.engine().key('ingest', body.tenantId))).send(body);
    if (response.status !== 202) throw new Error(`intake answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body.alertId;
  }

  async read(alertId: string, key = this.analyst()): Promise<AlertStatus> {
    return (await request(this.engine().app).get(`/v1/alerts/${alertId}`).set(auth(key))).body;
  }

  act(alertId: string, action: string, body: object, key = this.analyst()) {
    return request(this.engine().app).post(`/v1/alerts/${alertId}/${action}`).set(auth(key)).send(body);
  }

  untilAwaitingTriage(alertId: string): Promise<AlertStatus> {
    return waitFor(() => this.read(alertId), (s) => s.state === 'awaiting_triage', 'awaiting_triage');
  }

  /** Claim, assess critical true positive, recommend: the alert is then ready for response (R8). */
  async readyForResponse(alert: NormalisedAlertInput): Promise<string> {
    const alertId = await this.submit(alert);
    await this.untilAwaitingTriage(alertId);
    await this.expectOk(this.act(alertId, 'claim', {}));
    await this.expectOk(this.act(alertId, 'assessment', { severity: 'critical', verdict: 'true_positive', rationale: 'Confirmed compromise' }));
    const recommended = await this.expectOk(this.act(alertId, 'recommendation', { recommendation: 'Contain the account and the attacker address' }));
    if (recommended.body.state !== 'ready_for_response') throw new Error(`expected ready_for_response, got ${recommended.body.state}`);
    return alertId;
  }

  startPlaybook(alertId: string, playbookId: string, key = this.analyst()) {
    return request(this.engine().app).post(`/v1/alerts/${alertId}/playbooks`).set(auth(key)).send({ playbookId });
  }

  async run(alertId: string, runId: string, key = this.analyst()): Promise<PlaybookRunStatus> {
    const response = await request(this.engine().app).get(`/v1/alerts/${alertId}/playbooks/${runId}`).set(auth(key));
    if (response.status !== 200) throw new Error(`run answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** Like `run`, but null while the engine answers 503 (no worker answering queries, e.g. during a restart). */
  async runIfAnswering(alertId: string, runId: string): Promise<PlaybookRunStatus | null> {
    const response = await request(this.engine().app).get(`/v1/alerts/${alertId}/playbooks/${runId}`).set(auth(this.analyst()));
    if (response.status === 503) return null;
    if (response.status !== 200) throw new Error(`run answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** Waits for the run to satisfy `done`; a 503 (the run still starting, or no worker answering) is waited out. */
  async untilRun(alertId: string, runId: string, done: (run: PlaybookRunStatus) => boolean, what: string, timeoutMs?: number): Promise<PlaybookRunStatus> {
    const run = await waitFor(() => this.runIfAnswering(alertId, runId), (r) => r !== null && done(r), what, timeoutMs);
    if (run === null) throw new Error(`no answer for ${what}`);
    return run;
  }

  decide(alertId: string, runId: string, body: { digest: string; decision: 'approve' | 'reject'; reason?: string }, key = this.approver()) {
    return request(this.engine().app).post(`/v1/alerts/${alertId}/playbooks/${runId}/approvals`).set(auth(key)).send(body);
  }

  /** Approves every action that waits for a decision until the run's forward steps end. */
  async approveAll(alertId: string, runId: string, reason = 'Approved with the customer on the phone'): Promise<PlaybookRunStatus> {
    for (;;) {
      const run = await this.untilRun(alertId, runId, (r) => r.state !== 'running' || r.actions.some((a) => a.state === 'awaiting_approval'), 'a decision or the end');
      const waiting = run.actions.filter((a) => a.state === 'awaiting_approval');
      if (waiting.length === 0) {
        // The run tells its alert by signal that it ended: wait until the alert knows, or its next request may meet a 409.
        await waitFor(() => this.read(alertId), (a) => a.response.runs.some((r) => r.runId === runId && r.state !== 'running'), `the alert to hear that ${runId} ended`);
        return run;
      }
      for (const action of waiting) {
        const decided = await this.decide(alertId, runId, { digest: action.digest, decision: 'approve', reason });
        if (decided.status !== 200) throw new Error(`approval answered ${decided.status}: ${JSON.stringify(decided.body)}`);
      }
    }
  }

  undo(alertId: string, runId: string, reason: string, key = this.analyst()) {
    return request(this.engine().app).post(`/v1/alerts/${alertId}/playbooks/${runId}/undo`).set(auth(key)).send({ reason });
  }

  private async expectOk<T extends { status: number; body: unknown }>(pending: PromiseLike<T>): Promise<T> {
    const response = await pending;
    if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${JSON.stringify(response.body)}`);
    return response;
  }
}

/** A package-2 Microsoft 365 alert on mueller-logistik naming one account and one attacker address. */
export function accountTakeoverAlert(externalId: string, upn: string, ip: string): NormalisedAlertInput {
  return sampleAlert({
    tenantId: 'mueller-logistik',
    source: 'm365',
    externalId,
    title: 'Atypical travel followed by an inbox forwarding rule',
    entities: { users: [{ name: upn, upn }], hosts: [], ips: [{ address: ip, role: 'source' }], files: [], processes: [], urls: [] },
  });
}

/**
 * A package-3 alert on the sample device ws-0042 that the R11 isolation score leaves alone (medium, no
 * technique, no vendor verdict), so that the playbook under test is the only run.
 */
export function quietDeviceAlert(externalId: string, ips: string[] = []): NormalisedAlertInput {
  return sampleAlert({
    tenantId: 'rheinwerk-maschinenbau',
    source: 'defender',
    externalId,
    vendorSeverity: 'medium',
    title: 'Routine software inventory finished',
    description: 'inventory',
    entities: {
      users: [],
      hosts: [{ hostname: 'ws-0042.rheinwerk.local', ips: [] }],
      ips: ips.map((address) => ({ address, role: 'source' as const })),
      files: [],
      processes: [],
      urls: [],
    },
  });
}

/**
 * A machine in the Defender fake and a Graph alert that names it with the signals that isolate it (R11): severity
 * high, verdict malware, credential dumping. Returns the machine and the Graph alert's id.
 */
export function graphConfirmedDevice(fakes: VendorFakes, hostname: string, externalId: string) {
  const machine = fakes.defender.addMachine({ computerDnsName: hostname.toLowerCase(), machineTags: ['RW-Workstations'] });
  fakes.graph.putListedAlert({
    id: externalId,
    lastUpdateDateTime: new Date().toISOString(),
    body: {
      severity: 'high',
      determination: 'malware',
      detectionSource: 'microsoftDefenderForEndpoint',
      mitreTechniques: ['T1003.001'],
      evidence: [{ '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: hostname, mdeDeviceId: machine.id }],
    },
  });
  return machine;
}
