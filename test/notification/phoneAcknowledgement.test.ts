/**
 * The whole engine with Twilio as its phone provider (the official library against the HTTPS fake): a critical
 * incident's escalation call asks to press 1; the fake drives Twilio's signed callbacks into the API (served over
 * HTTPS as Twilio would reach it), which acknowledges the escalation like a claim and records delivery reports (R8, R19).
 */
import request from 'supertest';
import { sampleAlert } from '../support/alerts';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { engineReader, logCollector, startPublicApi, type PublicApi } from '../support/publicApi';
import { startTwilioFake, type RunningTwilioFake, type TwilioResource } from '../support/vendors/twilioFake';
import { twilioEngineOptions } from './twilioEngine';
import { waitFor } from '../support/waitFor';

const ACCOUNT_SID = `AC${'fedcba9876543210'.repeat(2)}`;
const AUTH_TOKEN = 'twilio-auth-token-acknowledge-7e1f';
const TENANT = 'rheinwerk-maschinenbau';
/** The first escalation step of the tenant: a voice call to Anna Schmidt (config/soc/oncall.yaml). */
const ON_CALL_NUMBER = '+4928219990111';

let engine: TestEngine | undefined;
let twilio: RunningTwilioFake;
let publicApi: PublicApi;
const logLines: string[] = [];

beforeAll(async () => {
  twilio = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  // The API's public HTTPS address, as Twilio reaches it (a TLS proxy in production).
  publicApi = await startPublicApi(() => engine);
  const publicUrl = publicApi.url;
  engine = await startTestEngine({
    ...twilioEngineOptions(twilio, { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }, { stepTimeoutMs: 120_000, callbackUrl: publicUrl }),
    logDestination: logCollector(logLines),
  });
});
afterAll(async () => {
  await engine?.stop();
  await publicApi?.close();
  await twilio?.close();
});

const { running, read, submitIncident } = engineReader(() => engine);

/** Submits a critical incident and waits for its first escalation call at the fake. */
async function escalatedIncident(): Promise<{ alertId: string; call: TwilioResource }> {
  const alertId = await submitIncident(TENANT);
  const call = await waitFor(
    async () => twilio.created.find((r) => r.kind === 'call' && r.content.includes(`alert=${encodeURIComponent(alertId)}"`)),
    (found) => found !== undefined,
    'the escalation call at the Twilio fake',
    30_000,
  );
  if (!call) throw new Error('unreachable');
  await waitFor(() => read(alertId), (s) => s.notifications.some((n) => n.messageId === call.sid), 'the call’s receipt in the record');
  return { alertId, call };
}

describe('R19 acknowledgement by phone through Twilio', () => {
  test('R19 pressing 1 on the escalation call takes the incident like a claim, with the number and time on the record', async () => {
    const { alertId, call } = await escalatedIncident();
    expect(call.to).toBe(ON_CALL_NUMBER);
    expect(call.content).toContain('Drücken Sie die 1, um den Vorfall zu übernehmen.');

    const pressed = await twilio.pressKey(call.sid, '1');
    expect(pressed.status).toBe(200);
    expect(pressed.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say language="de-DE">Danke. Der Vorfall ist Ihnen zugewiesen. Die Eskalation ist beendet.</Say></Response>');

    const status = await read(alertId);
    expect(status.state).toBe('in_triage');
    expect(status.triage.assignedAnalyst).toBe('a.schmidt');
    const page = status.notifications.find((n) => n.messageId === call.sid);
    expect(page?.acknowledgement?.number).toBe(ON_CALL_NUMBER);
    expect(Date.parse(page?.acknowledgement?.at ?? '')).toBeGreaterThan(Date.parse(status.receivedAt));
    expect(status.timeline.filter((e) => e.kind === 'claimed')).toEqual([expect.objectContaining({ actor: 'phone:a.schmidt', detail: `Taken by phone: key 1 pressed on the escalation call ${call.sid}` })]);
    // R17: the customer does not read who was called, nor from which number the incident was taken.
    const customer = JSON.stringify(await read(alertId, running().key('customer', TENANT)));
    expect(customer).not.toContain(ON_CALL_NUMBER);
    // Personal data stays out of the log lines (the callbacks' form carries the numbers).
    expect(logLines.join('')).not.toContain(ON_CALL_NUMBER.slice(1));
    // A second press on the same call changes nothing more.
    expect((await twilio.pressKey(call.sid, '1')).body).toContain('konnte nicht übernommen werden');
  });

  test('R19 the escalation call speaks the page itself in the SOC’s language (German by default), not only the prompt', async () => {
    const { alertId, call } = await escalatedIncident();
    const spoken = [...call.content.matchAll(/<Say language="([^"]+)">([^<]*)<\/Say>/g)].map((m) => [m[1], m[2]]);
    expect(spoken[0]).toEqual(['de-DE', `Kritischer Vorfall ${alertId} bei ${TENANT} ist noch nicht übernommen: ${sampleAlert({ tenantId: TENANT }).title}`]);
    expect(spoken.every(([language]) => language === 'de-DE')).toBe(true);
    expect(call.content).not.toMatch(/Critical incident|not acknowledged/);
  });

  test('R19 a key press with a forged signature is refused (403) and changes nothing', async () => {
    const { alertId, call } = await escalatedIncident();
    const forged = await twilio.pressKey(call.sid, '1', { signWith: 'not-the-auth-token' });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('X-Twilio-Signature');

    const status = await read(alertId);
    expect(status.state).toBe('awaiting_triage');
    expect(status.triage.assignedAnalyst).toBeNull();
  });

  test('R19 another key than 1 does not take the incident; the escalation goes on', async () => {
    const { alertId, call } = await escalatedIncident();
    const pressed = await twilio.pressKey(call.sid, '2');
    expect(pressed.status).toBe(200);
    expect(pressed.body).toContain('Der Vorfall konnte nicht übernommen werden');
    const status = await read(alertId);
    expect(status.state).toBe('awaiting_triage');
    expect(status.timeline.some((e) => e.kind === 'claimed')).toBe(false);
  });

  test('R8 Twilio’s signed status reports are recorded on the page as delivery proof, a missed call as a failure', async () => {
    const { alertId, call } = await escalatedIncident();
    expect(await twilio.report(call.sid, 'ringing')).toBe(204);
    expect(await twilio.report(call.sid, 'no-answer')).toBe(204);
    expect(await twilio.report(call.sid, 'completed')).toBe(204);

    const status = await waitFor(() => read(alertId), (s) => (s.notifications.find((n) => n.messageId === call.sid)?.reports?.length ?? 0) === 2, 'two final reports on the page');
    const page = status.notifications.find((n) => n.messageId === call.sid);
    expect(page?.reports?.map((r) => [r.status, r.reached])).toEqual([
      ['no-answer', false],
      ['completed', true],
    ]);
    expect(status.timeline.filter((e) => e.detail.includes(`for ${call.sid}`)).map((e) => e.kind)).toEqual(['notification_failed', 'notified']);
  });

  test('R8 a status report without a valid signature is refused (403) before it reaches a workflow', async () => {
    const forged = await request(running().app)
      .post('/callbacks/phone/twilio/status?alert=alert.x')
      .set('x-twilio-signature', 'AAAA')
      .type('form')
      .send({ CallSid: 'CA00', CallStatus: 'completed' });
    expect(forged.status).toBe(403);
  });
});
