/** The worker's business figures: intake to classification and to customer notice (histograms), escalation pages. */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import request from 'supertest';
import { createNotificationActivities } from '../../activities/notification/notifyActivities';
import type { Notification } from '../../activities/notification/types';
import { openSqliteStores } from '../../stores/sqlite/sqliteStores';
import { createPublicationActivities } from '../../activities/publication/publishAlert';
import { TieredFileOutput } from '../../activities/publication/tieredFileOutput';
import { alertIdFor } from '../../domain/alertIdentity';
import type { AlertStatus } from '../../domain/alertLifecycle';
import { alertStatusQuery } from '../../workflows/messages';
import { sampleAlert } from '../support/alerts';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';
import { recordingMeter } from './recordingMeter';

let engine: TestEngine;
let classified: AlertStatus;

beforeAll(async () => {
  engine = await startTestEngine();
  const alert = sampleAlert();
  const response = await request(engine.app).post('/v1/alerts').set('Authorization', `Bearer ${engine.key('ingest', 'nordwind-handel')}`).send(alert);
  expect(response.status).toBe(202);
  const handle = engine.client.workflow.getHandle(alertIdFor(alert));
  classified = await waitFor(() => handle.query(alertStatusQuery), (s) => s.classification !== null && s.publication !== null, 'the classified alert');
});
afterAll(async () => {
  await engine?.stop();
});

const inActivity = () => {
  const recording = recordingMeter();
  return { ...recording, env: new MockActivityEnvironment({}, { metricMeter: recording.meter, logger: new DefaultLogger('ERROR', () => undefined) }) };
};

test('publishing a classified alert observes intake-to-classification once per alert, by tenant', async () => {
  const dir = mkdtempSync(join(testTemporal().workDir, 'metrics-'));
  const stores = openSqliteStores(join(dir, 'read-model.sqlite'));
  const { publishAlert } = createPublicationActivities({ readModel: stores.readModel, workOrders: stores.workOrders, fileOutput: new TieredFileOutput(dir), now: () => new Date() });
  const { env, of } = inActivity();
  try {
    await env.run(() => publishAlert({ status: classified }));
    await env.run(() => publishAlert({ status: classified })); // a retry publishes nothing new and observes nothing
  } finally {
    await stores.close();
  }
  const observed = of('soar_intake_to_classification_seconds');
  expect(observed).toHaveLength(1);
  expect(observed[0]?.tags).toMatchObject({ tenant: 'nordwind-handel' });
  expect(observed[0]?.value).toBeGreaterThanOrEqual(0);
  expect(observed[0]?.value).toBeLessThan(120);
  expect(JSON.stringify(observed[0]?.tags)).not.toContain(classified.alertId);
});

test('a delivered customer notice observes intake-to-notification; an escalation page counts in soar_escalations_total', async () => {
  const email = { send: async () => ({ messageId: '<m1@test>', provider: 'smtp:test' }) };
  const { sendNotification } = createNotificationActivities({ email, now: () => new Date() });
  const { env, of } = inActivity();
  const notice = (purpose: Notification['purpose'], sequence: number): Notification => ({
    channel: 'email',
    to: 'it-security@nordwind-handel.example',
    subject: 'Findings',
    body: 'What we found',
    tenantId: classified.tenantId,
    alertId: classified.alertId,
    idempotencyKey: `${classified.alertId}/${sequence}`,
    purpose,
    receivedAt: classified.receivedAt,
  });
  await env.run(() => sendNotification(notice('findings', 1)));
  await env.run(() => sendNotification(notice('escalation', 2)));
  await env.run(() => sendNotification(notice('management_escalation', 3)));

  const notified = of('soar_intake_to_notification_seconds');
  expect(notified).toHaveLength(1);
  expect(notified[0]?.tags).toMatchObject({ tenant: 'nordwind-handel', purpose: 'findings' });
  expect(notified[0]?.value).toBeLessThan(120);
  expect(of('soar_escalations_total').map((r) => r.tags)).toMatchObject([
    { tenant: 'nordwind-handel', level: 'escalation' },
    { tenant: 'nordwind-handel', level: 'management_escalation' },
  ]);
});

test('R5 a closed alert’s service figures go to /metrics by tenant, analyst and step; an open one observes nothing', async () => {
  const dir = mkdtempSync(join(testTemporal().workDir, 'metrics-'));
  const stores = openSqliteStores(join(dir, 'read-model.sqlite'));
  const { refreshDashboard } = createPublicationActivities({ readModel: stores.readModel, workOrders: stores.workOrders, fileOutput: new TieredFileOutput(dir), now: () => new Date() });
  const { env, of } = inActivity();
  const triage = { ...classified.triage, assignedAnalyst: 'a.schmidt' };
  const serviceFigures = { toClaimSeconds: 120, toRecommendationSeconds: 900, toCloseSeconds: null };
  try {
    await env.run(() => refreshDashboard({ status: { ...classified, state: 'in_triage', triage, serviceFigures } }));
    expect(of('soar_service_hours_to_step_seconds')).toEqual([]);
    await env.run(() => refreshDashboard({ status: { ...classified, state: 'closed', triage, serviceFigures } }));
  } finally {
    await stores.close();
  }
  const observed = of('soar_service_hours_to_step_seconds').map((o) => [o.value, o.tags]);
  expect(observed).toEqual([
    [120, expect.objectContaining({ tenant: 'nordwind-handel', analyst: 'a.schmidt', step: 'claim' })],
    [900, expect.objectContaining({ tenant: 'nordwind-handel', analyst: 'a.schmidt', step: 'recommendation' })],
  ]);
});
