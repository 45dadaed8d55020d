/**
 * The engine for the audit tests, and the alert paths the golden histories cover: package 1, package 2 waiting for
 * service hours, package 3 with a playbook approved and undone, an unacknowledged escalation, a matrix denial; and the
 * paths behind later patches: an approval expiring across a wait, a recommendation after hours, no automatic undo,
 * notices to responsible people only, an automatic isolation on a verified score within the hourly budget, a dry-run,
 * a shadow revision run beside a live run, and an escalation posted to the SOC's Teams channel.
 * Each path drives the REST API until every workflow of the alert has completed, and returns the alert id.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { join } from 'node:path';
import type { AlertActivities } from '../../activities';
import type { PolicyContact, TenantPolicy } from '../../domain/tenantPolicy';
import { startPhoneProviderServer, type RunningPhoneProvider } from '../notification/phoneProviderTestServer';
import { startSmtpTestServer, type RunningSmtpServer } from '../notification/smtpTestServer';
import { FakeVendors } from '../playbooks/fakeVendors';
import { MILDER_ACCOUNT_PLAYBOOK } from '../playbooks/milderAccountPlaybook';
import { auth, PlaybookHarness } from '../playbooks/playbookHarness';
import { defenderThreat, sampleAlert } from '../support/alerts';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { startTeamsWorkflowFake, type RunningTeamsFake } from '../support/vendors/teamsWorkflowFake';
import { waitFor } from '../support/waitFor';

const ALWAYS = [{ from: '2020-01-01T00:00:00Z', to: '2050-01-01T00:00:00Z' }];

export class AuditEngine {
  engine!: TestEngine;
  vendors!: FakeVendors;
  readonly harness = new PlaybookHarness(() => this.engine);
  /** Service windows as the next alert's workflow sees them. */
  windows = ALWAYS;
  /** How long an approval stays valid across a wait, for the next alert (the tenant's when null). */
  approvalValidityMs: number | null = null;
  /** The next alert's contacts, when a path replaces the tenant's. */
  contacts: PolicyContact[] | null = null;
  private smtp!: RunningSmtpServer;
  private phone!: RunningPhoneProvider;
  /** The SOC's Teams channel, when the engine was asked to post to one. */
  private teams: RunningTeamsFake | null = null;

  /** `socChannel`: the engine posts its SOC cards to a Teams fake (off otherwise, as in a deployment without one). */
  constructor(private readonly options: { socChannel?: boolean } = {}) {}

  async start(): Promise<void> {
    this.smtp = await startSmtpTestServer({ startTls: false });
    this.phone = await startPhoneProviderServer({ status: 201, body: JSON.stringify({ id: 'msg-1', status: 'queued' }) });
    if (this.options.socChannel) this.teams = await startTeamsWorkflowFake();
    this.vendors = new FakeVendors(() => this.smtp.received.length);
    this.engine = await startTestEngine({
      rulesDir: join(REPO, 'test/fixtures/rules'),
      ...(this.teams
        ? { env: { SOAR_TEAMS_WEBHOOK_URL_REF: 'env:TEST_TEAMS_WEBHOOK_URL', SOAR_DASHBOARD_URL: 'https://soc.soc-provider.example' }, secretEnv: { TEST_TEAMS_WEBHOOK_URL: this.teams.webhookUrl } }
        : {}),
      notifications: { smtpPort: this.smtp.port, phoneBaseUrl: this.phone.baseUrl },
      activities: (real) => ({ ...real, ...this.vendors.activities() }) as AlertActivities,
      policy: (policy: TenantPolicy): TenantPolicy => ({
        ...policy,
        terms: { ...policy.terms, windows: this.windows },
        escalation: policy.escalation && { ...policy.escalation, steps: policy.escalation.steps.map((s) => ({ ...s, timeoutMs: 1_000 })) },
        response: this.approvalValidityMs === null ? policy.response : { ...policy.response, approvalValidityMs: this.approvalValidityMs },
        contacts: this.contacts ?? policy.contacts,
      }),
    });
  }

  async stop(): Promise<void> {
    await this.engine?.stop();
    await this.smtp?.close();
    await this.phone?.close();
    await this.teams?.close();
  }

  /** Waits until the alert's workflow and every playbook run it started have completed. */
  async finished(alertId: string): Promise<void> {
    const alert = await this.engine.client.workflow.getHandle(alertId).result();
    for (const run of alert.response.runs) await this.engine.client.workflow.getHandle(run.workflowId).result();
  }

  private async expect200(pending: PromiseLike<{ status: number; body: unknown }>): Promise<void> {
    const response = await pending;
    if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${JSON.stringify(response.body)}`);
  }

  private async assessAndClose(alertId: string, verdict = 'true_positive'): Promise<void> {
    const h = this.harness;
    await this.expect200(h.act(alertId, 'assessment', { severity: 'high', verdict, rationale: 'Checked the sign-in logs' }));
    await this.expect200(h.act(alertId, 'close', { summary: 'Handled' }));
  }

  async package1(): Promise<string> {
    const alertId = await this.harness.submit(sampleAlert({ tenantId: 'nordwind-handel', source: 'edr' }));
    await this.finished(alertId);
    return alertId;
  }

  /** R5: outside the service window the alert waits on a durable timer, then goes through triage. */
  async package2AfterServiceHours(): Promise<string> {
    const now = Date.now();
    this.windows = [{ from: new Date(now + 4_000).toISOString(), to: new Date(now + 3_600_000).toISOString() }];
    try {
      const alertId = await this.harness.submit(m365Alert('mueller-logistik', `a.wagner-${randomUUID().slice(0, 8)}@mueller-logistik.example`));
      await this.harness.untilAwaitingTriage(alertId);
      await this.expect200(this.harness.act(alertId, 'claim', {}));
      await this.expect200(this.harness.act(alertId, 'iocs', { iocs: [{ type: 'ip', value: '203.0.113.7', finding: 'suspicious', note: 'Sign-in source' }] }));
      await this.assessAndClose(alertId);
      await this.finished(alertId);
      return alertId;
    } finally {
      this.windows = ALWAYS;
    }
  }

  /** R8: a critical incident of package 3 with a playbook run whose measure is approved, then undone. */
  async package3PlaybookApprovedAndUndone(): Promise<{ alertId: string; digest: string }> {
    const upn = `r.krause-${randomUUID().slice(0, 8)}@rheinwerk-maschinenbau.example`;
    this.vendors.groups.set(upn, ['RW-Office-Users']);
    const h = this.harness;
    const alertId = await h.readyForResponse(m365Alert('rheinwerk-maschinenbau', upn));
    const started = await h.startPlaybook(alertId, 'compromised-account');
    if (started.status !== 201) throw new Error(`playbook start answered ${started.status}: ${JSON.stringify(started.body)}`);
    const waiting = await h.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    const digest = waiting.actions.find((a) => a.state === 'awaiting_approval')?.digest ?? '';
    await this.expect200(h.decide(alertId, 'run-1', { digest, decision: 'approve', reason: 'Confirmed with the user by phone' }));
    await h.untilRun(alertId, 'run-1', (r) => r.state !== 'running', 'the run to end');
    await this.expect200(h.undo(alertId, 'run-1', 'False positive after all: the user travelled'));
    await h.untilRun(alertId, 'run-1', (r) => r.state === 'undone', 'the undo');
    await this.expect200(h.act(alertId, 'close', { summary: 'Contained, then released after review' }));
    await this.finished(alertId);
    return { alertId, digest };
  }

  /** R19: a critical incident nobody acknowledges pages the whole chain and finally management, then is claimed. */
  async escalationWithoutAcknowledgement(whileUnclaimed: (alertId: string) => Promise<unknown> = async () => undefined): Promise<string> {
    const alertId = await this.harness.submit(sampleAlert({ tenantId: 'rheinwerk-maschinenbau', source: 'edr', entities: noEntities() }));
    await whileUnclaimed(alertId);
    await waitFor(
      () => this.harness.read(alertId),
      (s) => s.notifications.some((n) => n.purpose === 'management_escalation'),
      'the management escalation',
      30_000,
    );
    await this.expect200(this.harness.act(alertId, 'claim', {}));
    await this.assessAndClose(alertId);
    await this.finished(alertId);
    return alertId;
  }

  /** R8: the release matrix excepts the break-glass account: handed to a human, the vendor never called. */
  async matrixDenial(): Promise<string> {
    const h = this.harness;
    const alertId = await h.readyForResponse(m365Alert('mueller-logistik', 'breakglass-01@mueller-logistik.example'));
    await h.startPlaybook(alertId, 'compromised-account');
    await h.untilRun(alertId, 'run-1', (r) => r.state !== 'running', 'the run to end');
    await this.expect200(h.act(alertId, 'close', { summary: 'Break-glass account reviewed by hand' }));
    await this.finished(alertId);
    return alertId;
  }

  /** Approves the run's first waiting action and waits for it to be done. */
  private async approveFirst(alertId: string, reason: string): Promise<void> {
    const h = this.harness;
    const waiting = await h.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
    await this.expect200(h.decide(alertId, 'run-1', { digest: waiting.actions.find((a) => a.state === 'awaiting_approval')?.digest ?? '', decision: 'approve', reason }));
  }

  /** R8 R9: an approval given after service closed expires during the wait and is asked for again (patch approval-expires-across-wait). */
  async approvalExpiresAcrossWait(): Promise<string> {
    const now = Date.now();
    this.windows = [
      { from: new Date(now - 60_000).toISOString(), to: new Date(now + 6_000).toISOString() },
      { from: new Date(now + 11_000).toISOString(), to: new Date(now + 3_600_000).toISOString() },
    ];
    this.approvalValidityMs = 2_000;
    try {
      const h = this.harness;
      const alertId = await h.readyForResponse(m365Alert('mueller-logistik', `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`));
      await this.expect201(h.startPlaybook(alertId, 'compromised-account'));
      await h.untilRun(alertId, 'run-1', (r) => r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval');
      await waitFor(async () => Date.now(), (t) => t > now + 6_500, 'service closed');
      await this.approveFirst(alertId, 'Contain before the weekend');
      await h.untilRun(alertId, 'run-1', (r) => r.actions[0]?.state === 'awaiting_approval' && r.timeline.some((t) => t.kind === 'approval_expired'), 'the approval asked again', 30_000);
      await this.approveFirst(alertId, 'Still needed on Monday');
      await h.untilRun(alertId, 'run-1', (r) => r.state !== 'running', 'the run to end');
      await this.expect200(h.act(alertId, 'close', { summary: 'Contained after the second approval' }));
      await this.finished(alertId);
      return alertId;
    } finally {
      this.windows = ALWAYS;
      this.approvalValidityMs = null;
    }
  }

  /** R8 R9: a critical incident recommended after service closed becomes ready when it opens (patch ready-for-response-when-service-opens). */
  async recommendationAfterHours(): Promise<string> {
    const now = Date.now();
    this.windows = [
      { from: new Date(now - 60_000).toISOString(), to: new Date(now + 4_000).toISOString() },
      { from: new Date(now + 9_000).toISOString(), to: new Date(now + 3_600_000).toISOString() },
    ];
    try {
      const h = this.harness;
      const alertId = await h.submit(m365Alert('mueller-logistik', `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`));
      await h.untilAwaitingTriage(alertId);
      await this.expect200(h.act(alertId, 'claim', {}));
      await this.expect200(h.act(alertId, 'assessment', { severity: 'critical', verdict: 'true_positive', rationale: 'Confirmed compromise' }));
      await waitFor(async () => Date.now(), (t) => t > now + 4_500, 'service closed');
      await this.expect200(h.act(alertId, 'recommendation', { recommendation: 'Contain the account' }));
      await waitFor(() => h.read(alertId), (s) => s.state === 'ready_for_response', 'ready for response when service opens', 30_000);
      await this.expect200(h.act(alertId, 'close', { summary: 'The customer contained the account itself' }));
      await this.finished(alertId);
      return alertId;
    } finally {
      this.windows = ALWAYS;
    }
  }

  /** R8: a vendor's permanent refusal fails the run; containment is kept and undone only on request (patch no-automatic-undo-of-containment). */
  async noAutomaticUndo(): Promise<string> {
    const h = this.harness;
    const alertId = await h.readyForResponse(m365Alert('mueller-logistik', `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`));
    this.vendors.failures.set('m365RevokeSessions', { type: 'VendorRefused', message: 'Graph refused: 403 Authorization_RequestDenied: Insufficient privileges' });
    try {
      await this.expect201(h.startPlaybook(alertId, 'compromised-account'));
      await this.approveFirst(alertId, 'Confirmed with the user by phone');
      await h.untilRun(alertId, 'run-1', (r) => r.state === 'failed' && r.timeline.some((t) => t.detail.includes('containment kept')), 'the failed run');
    } finally {
      this.vendors.failures.clear();
    }
    await this.expect200(h.undo(alertId, 'run-1', 'The customer confirms the sign-in was the user'));
    await h.untilRun(alertId, 'run-1', (r) => r.state === 'undone', 'the undo on request');
    await this.expect200(h.act(alertId, 'close', { summary: 'Released after review' }));
    await this.finished(alertId);
    return alertId;
  }

  /** R8: the notice before a measure goes to the IT contact, not the billing contact (patch measure-notices-to-responsible-people). */
  async responsiblePeopleOnly(): Promise<string> {
    this.contacts = [
      { name: 'Lena Kaufmann', role: 'billing', email: 'buchhaltung@mueller-logistik.example', phone: '+491715550999', mobile: true, notify: ['critical'] },
      { name: 'Stefan Krause', role: 'it', email: 's.krause@mueller-logistik.example', phone: null, mobile: false, notify: ['critical'] },
    ];
    try {
      const h = this.harness;
      const alertId = await h.readyForResponse(m365Alert('mueller-logistik', `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`));
      await this.expect201(h.startPlaybook(alertId, 'compromised-account'));
      await this.approveFirst(alertId, 'Confirmed with the user by phone');
      await h.untilRun(alertId, 'run-1', (r) => r.state !== 'running', 'the run to end');
      await this.expect200(h.act(alertId, 'close', { summary: 'Contained' }));
      await this.finished(alertId);
      return alertId;
    } finally {
      this.contacts = null;
    }
  }

  /** R11: a threat Graph confirms isolates the endpoint by itself within the hourly budget (patches verified-isolation-score, ai-isolation-hourly-budget). */
  async aiIsolation(): Promise<string> {
    const hostname = `WS-${randomUUID().slice(0, 6)}`;
    const alert = defenderThreat(hostname);
    this.vendors.vendorAlerts.set(alert.externalId, { severity: 'high', verdict: 'malware', detectionSource: 'microsoftDefenderForEndpoint', techniques: ['T1003.001'], deviceNames: [hostname.toLowerCase()] });
    const h = this.harness;
    const alertId = await h.submit(alert);
    const started = await waitFor(() => h.read(alertId), (s) => s.response.runs.length > 0, 'the automatic isolation run');
    await h.untilRun(alertId, started.response.runs[0]?.runId ?? 'run-1', (r) => r.state !== 'running', 'the isolation run to end');
    await h.untilAwaitingTriage(alertId);
    await this.expect200(h.act(alertId, 'claim', {}));
    await this.assessAndClose(alertId);
    await this.finished(alertId);
    return alertId;
  }

  /** R8: a dry-run asks for its approvals and stops before each vendor change, then ends with its forward steps (patch dry-run-mode). */
  async dryRun(): Promise<string> {
    const h = this.harness;
    const alertId = await h.readyForResponse(m365Alert('mueller-logistik', `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`));
    await this.expect201(request(this.engine.app).post(`/v1/alerts/${alertId}/playbooks`).set(auth(h.analyst())).send({ playbookId: 'compromised-account', mode: 'dry-run' }));
    const run = await h.approveAll(alertId, 'run-1', 'Rehearsal with the customer');
    if (!run.actions.some((a) => a.state === 'would_run')) throw new Error(`the dry-run recorded no call it would have made: ${JSON.stringify(run.actions)}`);
    await this.expect200(h.act(alertId, 'close', { summary: 'Rehearsed; the customer contained the account itself' }));
    await this.finished(alertId);
    return alertId;
  }

  /**
   * R8: a shadow revision of compromised-account runs beside the live run as a dry-run (patch shadow-playbook-runs).
   * The shadow stays in force for the playbook afterwards: a path that runs it must come last on this engine.
   */
  async shadowRun(): Promise<string> {
    const h = this.harness;
    const shadow = await request(this.engine.app).put('/v1/playbooks/compromised-account').set(auth(this.engine.key('admin'))).send({ content: MILDER_ACCOUNT_PLAYBOOK, reason: 'Trial of a milder playbook', shadow: true });
    if (shadow.status !== 201) throw new Error(`the shadow revision answered ${shadow.status}: ${JSON.stringify(shadow.body)}`);
    const alertId = await h.readyForResponse(m365Alert('mueller-logistik', `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`));
    await this.expect201(h.startPlaybook(alertId, 'compromised-account'));
    await h.untilRun(alertId, 'run-2', (r) => r.state !== 'running' && r.shadowOf === 'run-1', 'the shadow run to end');
    await h.approveAll(alertId, 'run-1', 'Confirmed with the user by phone');
    await this.expect200(h.act(alertId, 'close', { summary: 'Contained' }));
    await this.finished(alertId);
    return alertId;
  }

  /** R19: a critical incident and each escalation step reach the SOC's Teams channel before anyone claims it (patch soc-channel-cards). */
  async socChannelEscalation(): Promise<string> {
    const teams = this.teams;
    if (!teams) throw new Error('socChannelEscalation needs an AuditEngine started with { socChannel: true }');
    return this.escalationWithoutAcknowledgement((alertId) =>
      waitFor(
        async () => teams.cards.filter((c) => JSON.stringify(c).includes(alertId)),
        (cards) => cards.length >= 2,
        'the critical card and an escalation card in the SOC channel',
        30_000,
      ),
    );
  }

  private async expect201(pending: PromiseLike<{ status: number; body: unknown }>): Promise<void> {
    const response = await pending;
    if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${JSON.stringify(response.body)}`);
  }

  /**
   * A dry-run approved throughout (nothing reaches a vendor), then a live run with a shadow revision beside it (a
   * dry-run that asks nobody); the shadow is withdrawn afterwards by rolling the playbook back to its file.
   */
  async dryRunAndShadow(): Promise<string> {
    const h = this.harness;
    const alertId = await h.readyForResponse(m365Alert('mueller-logistik', `l.hoffmann-${randomUUID().slice(0, 8)}@mueller-logistik.example`));
    const admin = { Authorization: `Bearer ${this.engine.key('admin')}` };
    const dryRun = await request(this.engine.app).post(`/v1/alerts/${alertId}/playbooks`).set({ Authorization: `Bearer ${h.analyst()}` }).send({ playbookId: 'block-attacker-ip', mode: 'dry-run' });
    if (dryRun.status !== 201) throw new Error(`dry-run start answered ${dryRun.status}: ${JSON.stringify(dryRun.body)}`);
    await h.approveAll(alertId, 'run-1');
    const shadow = readFileSync(join(REPO, 'playbooks/block-attacker-ip.yaml'), 'utf8').replace('version: 1', 'version: 2');
    const put = await request(this.engine.app).put('/v1/playbooks/block-attacker-ip').set(admin).send({ content: shadow, reason: 'golden: shadow trial', shadow: true });
    if (put.status !== 201) throw new Error(`shadow revision answered ${put.status}: ${JSON.stringify(put.body)}`);
    try {
      const live = await h.startPlaybook(alertId, 'block-attacker-ip');
      if (live.status !== 201) throw new Error(`live start answered ${live.status}: ${JSON.stringify(live.body)}`);
      await h.untilRun(alertId, 'run-3', (r) => r.state !== 'running', 'the shadow run to end');
      await h.approveAll(alertId, 'run-2');
    } finally {
      await request(this.engine.app).post('/v1/playbooks/block-attacker-ip/rollback').set(admin).send({ revision: 0, reason: 'golden: shadow trial over' });
    }
    await this.expect200(h.act(alertId, 'close', { summary: 'Blocked after a rehearsal' }));
    await this.finished(alertId);
    return alertId;
  }
}

function noEntities() {
  return { users: [], hosts: [], ips: [], files: [], processes: [{ commandLine: 'procdump64.exe -ma lsass.exe', imagePath: 'C:\\procdump64.exe' }], urls: [] };
}

function m365Alert(tenantId: string, upn: string) {
  return sampleAlert({
    tenantId,
    source: 'm365',
    title: 'Atypical sign-in followed by inbox rule',
    entities: { users: [{ name: upn, upn }], hosts: [], ips: [{ address: '203.0.113.7', role: 'source' as const }], files: [], processes: [], urls: [] },
  });
}
