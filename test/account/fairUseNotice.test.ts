/**
 * R15 fair use on the real dev server: the daily check tells the SOC's management (config/soc/oncall.yaml) by e-mail,
 * in German, once per tenant and German calendar month; later checks, a failed check and the first of the next month
 * send nothing twice and nothing less.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AlertStatus } from '../../domain/alertLifecycle';
import { loadOnCallDirectory } from '../../infra/files/onCallFile';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { fetchWorkflowTree } from '../../infra/audit/workflowHistories';
import { ensureFairUseSchedule, FAIR_USE_SCHEDULE_ID, fairUseCheckInputOf } from '../../infra/temporal/fairUseSchedule';
import { fairUseCheckWorkflow, type FairUseCheckReport } from '../../workflows/fairUseCheckWorkflow';
import { writeGoldenIfAsked } from '../audit/goldenFiles';
import { startSmtpTestServer, type RunningSmtpServer } from '../notification/smtpTestServer';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';

const tenants = loadTenantDirectory(join(REPO, 'config/tenants')).all();
const management = loadOnCallDirectory(join(REPO, 'config/soc/oncall.yaml')).management.map((m) => m.email);
let smtp: RunningSmtpServer;
let engine: TestEngine;

beforeAll(async () => {
  smtp = await startSmtpTestServer({ startTls: false });
  engine = await startTestEngine({ notifications: { smtpPort: smtp.port } });
});
afterAll(async () => {
  await engine?.stop();
  await smtp?.close();
});

/** `count` classified incidents of the tenant, received at `receivedAt` (ISO), in the engine's read model. */
async function incidents(tenantId: string, count: number, receivedAt: string): Promise<void> {
  for (let n = 0; n < count; n++) {
    const alertId = `alert.${tenantId}.fair-use-${randomUUID()}`;
    const status = {
      alertId,
      tenantId,
      source: 'edr',
      title: `Incident ${n}`,
      observedAt: receivedAt,
      receivedAt,
      state: 'closed',
      severity: 'medium',
      classification: { severity: 'medium', decidedBy: { kind: 'rule', ruleId: 'r-1', title: 'A rule' } },
      triage: { recommendation: null },
    } as unknown as AlertStatus;
    await engine.readModel.upsert(status, receivedAt);
  }
}

const check = (now: string, recipients = management, workflowId = `fair-use-check.test-${randomUUID()}`): Promise<FairUseCheckReport> =>
  engine.client.workflow.execute(fairUseCheckWorkflow, {
    taskQueue: engine.taskQueue,
    workflowId,
    args: [{ ...fairUseCheckInputOf(tenants, recipients), now }],
  });

const noticesAbout = (name: string) => smtp.received.filter((m) => m.mail.subject?.startsWith('Fair Use:') && m.mail.subject.includes(name));

describe('R15 fair use notice to the SOC management', () => {
  test('R15 a tenant above three times its baseline is reported to the SOC management once per month, in German; later checks send nothing more', async () => {
    expect(management).toEqual(['soc-leitung@soc-provider.example']);
    // nordwind-handel's baseline is 10: 31 incidents in January 2031 (German time) are above three times that.
    await incidents('nordwind-handel', 31, '2031-01-12T09:00:00.000Z');
    await incidents('nordwind-handel', 5, '2030-12-31T23:30:00.000Z'); // 1 January 00:30 in Berlin: January too
    await incidents('mueller-logistik', 75, '2031-01-13T09:00:00.000Z'); // baseline 25: exactly three times, not above

    const firstId = `fair-use-check.test-${randomUUID()}`;
    const first = await check('2031-01-20T05:45:00.000Z', management, firstId);
    // SOAR_WRITE_GOLDEN=1 keeps this history as a golden (R18): the notice's commands must replay on later code.
    await writeGoldenIfAsked('fair-use-notice', firstId, await fetchWorkflowTree(engine.client, firstId), engine.payloadCodec);
    expect(first.months).toEqual(['2030-12', '2031-01']);
    expect(first.notified).toEqual([{ tenantId: 'nordwind-handel', month: '2031-01', incidents: 36, baseline: 10, recipients: management }]);
    const [mail, ...more] = noticesAbout('Nordwind Handel GmbH');
    expect(more).toEqual([]);
    expect(mail?.rcptTo).toEqual(management);
    expect(mail?.mail.subject).toBe('Fair Use: Nordwind Handel GmbH liegt im Januar 2031 über dem 3-Fachen des Paketniveaus');
    expect(mail?.mail.text).toContain('der Mandant Nordwind Handel GmbH (nordwind-handel) hat im Januar 2031 bisher 36 Vorfälle');
    expect(mail?.mail.text).toContain('das ist das 3,6-Fache (Schwelle: mehr als das 3-Fache)');
    expect(mail?.mail.text).toContain('der Kunde wurde nicht benachrichtigt');
    expect(noticesAbout('Müller Logistik')).toEqual([]);

    // The next days' checks: more incidents, still one notice for January.
    await incidents('nordwind-handel', 4, '2031-01-21T09:00:00.000Z');
    expect((await check('2031-01-21T05:45:00.000Z')).notified).toEqual([]);
    expect(noticesAbout('Nordwind Handel GmbH')).toHaveLength(1);
    expect(await engine.ledger.fairUseNotices('nordwind-handel')).toEqual([
      { tenantId: 'nordwind-handel', month: '2031-01', incidents: 36, baseline: 10, flaggedAt: '2031-01-20T05:45:00.000Z', sentAt: expect.any(String) },
    ]);
  });

  test('R15 a month crossed after its last check is reported on the first of the next month, once', async () => {
    // mueller-logistik: 75 incidents in January (three times 25); one more on 31 January 21:00 Berlin.
    await incidents('mueller-logistik', 1, '2031-01-31T20:00:00.000Z');
    const february = await check('2031-02-01T05:45:00.000Z');
    expect(february.months).toEqual(['2031-01', '2031-02']);
    expect(february.notified).toEqual([{ tenantId: 'mueller-logistik', month: '2031-01', incidents: 76, baseline: 25, recipients: management }]);
    expect(noticesAbout('Müller Logistik GmbH & Co. KG')).toHaveLength(1);
    expect(noticesAbout('Müller Logistik GmbH & Co. KG')[0]?.mail.subject).toContain('im Januar 2031');
    expect((await check('2031-02-02T05:45:00.000Z')).notified).toEqual([]);
    expect(noticesAbout('Müller Logistik GmbH & Co. KG')).toHaveLength(1);
    expect(noticesAbout('Nordwind Handel GmbH')).toHaveLength(1);
  });

  test('R15 a check that fails before the mail went out leaves the notice due: the next check sends it, once', async () => {
    await incidents('rheinwerk-maschinenbau', 181, '2031-03-10T09:00:00.000Z'); // baseline 60
    const failed = await check('2031-03-11T05:45:00.000Z', ['not an address']).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    expect(noticesAbout('Rheinwerk Maschinenbau AG')).toEqual([]);
    expect(await engine.ledger.fairUseNotices('rheinwerk-maschinenbau')).toEqual([expect.objectContaining({ month: '2031-03', incidents: 181, sentAt: null })]);

    const without = await check('2031-03-12T05:45:00.000Z', []);
    expect(without.notified).toEqual([]);
    expect(without.unsent).toEqual([{ tenantId: 'rheinwerk-maschinenbau', month: '2031-03', reason: expect.stringContaining('config/soc/oncall.yaml names no management') }]);

    const next = await check('2031-03-13T05:45:00.000Z');
    expect(next.notified.map((n) => [n.tenantId, n.month])).toEqual([['rheinwerk-maschinenbau', '2031-03']]);
    expect((await check('2031-03-14T05:45:00.000Z')).notified).toEqual([]);
    expect(noticesAbout('Rheinwerk Maschinenbau AG')).toHaveLength(1);
  });

  test('R15 the daily check has one schedule before the support hours; creating it again changes nothing but the input', async () => {
    try {
      await ensureFairUseSchedule({ client: engine.client, taskQueue: engine.taskQueue, input: fairUseCheckInputOf(tenants.slice(0, 1), []) });
      await ensureFairUseSchedule({ client: engine.client, taskQueue: engine.taskQueue, input: fairUseCheckInputOf(tenants, management) });
      const description = await engine.client.schedule.getHandle(FAIR_USE_SCHEDULE_ID).describe();
      expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'fairUseCheckWorkflow' });
      expect(description.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 6, end: 6, step: 1 }], minute: [{ start: 45, end: 45, step: 1 }] })]);
      expect(description.spec.timezone).toBe('Europe/Berlin');
      const input = description.action.type === 'startWorkflow' ? description.action.args?.[0] : undefined;
      expect(input).toEqual({ tenants: tenants.map((t) => ({ tenantId: t.id, name: t.name, baseline: t.fairUse.monthlyIncidentBaseline })), recipients: management });
    } finally {
      await engine.client.schedule.getHandle(FAIR_USE_SCHEDULE_ID).delete().catch(() => undefined);
    }
  });
});
