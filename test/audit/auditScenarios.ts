/**
 * The engine for the audit tests, and the alert paths the golden histories cover: package 1, package 2 waiting for
 * service hours, package 3 with a playbook approved and undone, an unacknowledged escalation, a matrix denial; and the
 * paths behind later patches: an approval expiring across a wait, a recommendation after hours, no automatic undo,
 * notices to responsible people only, an automatic isolation on a verified score within the hourly budget.
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
import { auth, PlaybookHarness } from '../playbooks/playbookHarness';
import { defenderThreat, sampleAlert } from '../support/alerts';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
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

  async start(): Promise<void> {
    this.smtp = await startSmtpTestServer({ startTls: false });
    this.phone = await startPhoneProviderServer({ status: 201, body: JSON.stringify({ id: 'msg-1', status: 'queued' }) });
    this.vendors = new FakeVendors(() => this.smtp.received.length);
    this.engine = await startTestEngine({
      rulesDir: join(REPO, 'test/fixtures/rules'),
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
  async escalationWithoutAcknowledgement(): Promise<string> {
    const alertId = await this.harness.submit(sampleAlert({ tenantId: 'rheinwerk-maschinenbau', source: 'edr', entities: noEntities() }));
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

  /** Approves every action the run asks for until it has ended. */
  private async approveUntilEnded(alertId: string, runId: string): Promise<void> {
    const h = this.harness;
    for (;;) {
      const run = await h.untilRun(alertId, runId, (r) => r.state !== 'running' || r.actions.some((a) => a.state === 'awaiting_approval'), 'an approval or the end');
      const asked = run.actions.find((a) => a.state === 'awaiting_approval');
      if (!asked) return;
      await this.expect200(h.decide(alertId, runId, { digest: asked.digest, decision: 'approve', reason: 'Confirmed with the user by phone' }));
    }
  }

  /** A dry-run of a playbook: every engine step, no vendor change (patch dry-run-mode). */
  async dryRun(): Promise<string> {
    const h = this.harness;
    const alertId = await h.readyForResponse(m365Alert('mueller-logistik', `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`));
    await this.expect201(request(this.engine.app).post(`/v1/alerts/${alertId}/playbooks`).set(auth(h.analyst())).send({ playbookId: 'compromised-account', mode: 'dry-run' }));
    await this.approveUntilEnded(alertId, 'run-1');
    await this.expect200(h.act(alertId, 'close', { summary: 'Dry-run reviewed; nothing changed' }));
    await this.finished(alertId);
    return alertId;
  }

  /** A shadow revision runs beside a live run as a dry-run (patch shadow-playbook-runs). Last: it stays for later runs. */
  async shadowRun(): Promise<string> {
    const h = this.harness;
    const active = readFileSync(join(REPO, 'playbooks/compromised-account.yaml'), 'utf8');
    const shadowText = active.replace(/^version: \d+$/m, 'version: 2');
    await this.expect201(request(this.engine.app).put('/v1/playbooks/compromised-account').set(auth(this.engine.key('admin'))).send({ content: shadowText, reason: 'Trial revision', shadow: true }));
    const alertId = await h.readyForResponse(m365Alert('mueller-logistik', `j.becker-${randomUUID().slice(0, 8)}@mueller-logistik.example`));
    await this.expect201(h.startPlaybook(alertId, 'compromised-account'));
    await h.untilRun(alertId, 'run-2', (r) => r.state !== 'running', 'the shadow run to end');
    await this.approveUntilEnded(alertId, 'run-1');
    await this.expect200(h.act(alertId, 'close', { summary: 'Contained; the trial revision ran beside' }));
    await this.finished(alertId);
    return alertId;
  }

  private async expect201(pending: PromiseLike<{ status: number; body: unknown }>): Promise<void> {
    const response = await pending;
    if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${JSON.stringify(response.body)}`);
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
