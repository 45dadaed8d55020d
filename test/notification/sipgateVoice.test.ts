/**
 * The whole engine with sipgate as its phone provider (the official library against the HTTPS fake of sipgate's REST
 * API): a critical incident's escalation call is the page's text by SMS and a call that plays the SOC's recorded
 * announcement; the fake pushes sipgate.io's signed events (newCall, dtmf) into the API, served over HTTPS as sipgate
 * would reach it, and pressing 1 takes the incident like a claim (R19). The fake signs with its own key pair; the
 * engine under test is given its public key, because sipgate's private key is in no test (see the last describe for
 * what the production check, the library's, refuses).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { isSipgateSignature } from 'sipgateio/dist/webhook/signatureVerifier';
import { validateAnnouncementAudio } from 'sipgateio/dist/webhook/audioUtils';
import request from 'supertest';
import { sipgateCallbackRoutes } from '../../api/phoneCallbacks/sipgateCallbackRoutes';
import { ANNOUNCEMENT_NAMES, ANNOUNCEMENTS_DIR, loadAnnouncements } from '../../api/phoneCallbacks/announcements';
import { SipgateCallbacks } from '../../api/phoneCallbacks/sipgateCallbacks';
import { announcementManifest, MANIFEST_FILE } from '../../scripts/generate-announcements';
import { engineReader, inServiceWithSteps, logCollector, startPublicApi, type PublicApi } from '../support/publicApi';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { startSipgateFake, type PlacedCall, type RunningSipgateFake } from '../support/vendors/sipgateFake';
import { waitFor } from '../support/waitFor';

const TOKEN_ID = 'token-SOC42';
const TOKEN = 'sipgate-pat-voice-9c1d2e3f4a5b';
const TENANT = 'rheinwerk-maschinenbau';
/** The first escalation step of the tenant: a voice call to Anna Schmidt (config/soc/oncall.yaml). */
const ON_CALL_NUMBER = '+4928219990111';
/** The SOC desk the on-call person is put through to after the announcement. */
const SOC_DESK = '+4928219990000';

let engine: TestEngine | undefined;
let sipgate: RunningSipgateFake;
let publicApi: PublicApi;
let publicUrl = '';
/** The first step's timeout for the next alert submitted (the policy applies when an alert comes in). */
let firstStepTimeoutMs = 120_000;
const logLines: string[] = [];

beforeAll(async () => {
  sipgate = await startSipgateFake({ tokenId: TOKEN_ID, token: TOKEN, smsIds: ['s0'], deviceIds: ['e0'] });
  // The API's public HTTPS address, as sipgate reaches it (a TLS proxy in production).
  publicApi = await startPublicApi(() => engine);
  publicUrl = publicApi.url;
  // What the SOC enters in sipgate's webhook settings for outgoing calls (docs/integrations.md).
  sipgate.setWebhookUrl(`${publicUrl}/callbacks/phone/sipgate`);
  engine = await startTestEngine({
    rulesDir: join(REPO, 'test/fixtures/rules'),
    env: {
      SOAR_PHONE_PROVIDER: 'sipgate',
      SOAR_SIPGATE_TOKEN_ID: TOKEN_ID,
      SOAR_SIPGATE_TOKEN_REF: 'env:TEST_SIPGATE_TOKEN',
      SOAR_SIPGATE_SMS_ID: 's0',
      SOAR_SIPGATE_API_URL: `${sipgate.url}/v2`,
      SOAR_SIPGATE_CALL_DEVICE_ID: 'e0',
      SOAR_SIPGATE_CALL_TARGET: SOC_DESK,
      SOAR_PHONE_CALLBACK_URL: publicUrl,
    },
    secretEnv: { TEST_SIPGATE_TOKEN: TOKEN },
    sipgateSignature: sipgate.verifies,
    logDestination: logCollector(logLines),
    policy: inServiceWithSteps((index) => (index === 0 ? firstStepTimeoutMs : 120_000)),
  });
});
afterAll(async () => {
  await engine?.stop();
  await publicApi?.close();
  await sipgate?.close();
});

const { running, read, submitIncident } = engineReader(() => engine);

/** Submits a critical incident and waits for its first escalation call at the fake and its receipt in the record. */
async function escalatedIncident(): Promise<{ alertId: string; call: PlacedCall }> {
  const before = sipgate.calls.length;
  const alertId = await submitIncident(TENANT);
  const status = await waitFor(() => read(alertId), (s) => s.notifications.some((n) => n.channel === 'voice' && n.delivered), 'the escalation call’s receipt in the record', 30_000);
  const page = status.notifications.find((n) => n.channel === 'voice' && n.delivered);
  const call = sipgate.calls.slice(before).find((c) => c.sessionId === page?.messageId);
  if (!call) throw new Error(`no call at the sipgate fake for ${page?.messageId}`);
  return { alertId, call };
}

describe('R19 acknowledgement by phone through sipgate', () => {
  test('R19 R8 the escalation call is recorded as answered, plays the announcement, and pressing 1 takes the incident like a claim, with the number and time on the record', async () => {
    const { alertId, call } = await escalatedIncident();
    // sipgate rings the on-call person first, then dials the SOC desk with the engine's device.
    expect(call).toMatchObject({ caller: ON_CALL_NUMBER, callee: SOC_DESK, deviceId: 'e0' });
    // The page's text by SMS, before the call: the recorded announcement cannot say it.
    expect(sipgate.sent).toContainEqual({ smsId: 's0', recipient: ON_CALL_NUMBER, message: expect.stringContaining(alertId) });

    const answered = await sipgate.answer(call.sessionId);
    expect(answered.status).toBe(200);
    expect(answered.gather).toEqual({
      onData: `${publicUrl}/callbacks/phone/sipgate`,
      maxDigits: '1',
      timeout: '10000',
      announcement: `${publicUrl}/callbacks/phone/sipgate/announcements/de/takeIncident.wav`,
    });
    // The announcement is served in the format sipgate plays, as the library's own check reads it.
    const audio = await validateAnnouncementAudio(answered.gather?.announcement ?? '');
    expect(audio).toMatchObject({ isValid: true, metadata: { container: 'WAVE', codec: 'PCM', bitsPerSample: 16, sampleRate: 8000, numberOfChannels: 1 } });

    // sipgate pushes the outgoing leg only after the on-call person answered: the proof that they were reached (R8).
    const reached = await waitFor(() => read(alertId), (s) => (s.notifications.find((n) => n.messageId === call.sessionId)?.reports?.length ?? 0) > 0, 'the answered report on the page');
    expect(reached.notifications.find((n) => n.messageId === call.sessionId)?.reports).toEqual([{ status: 'answered', reached: true, at: expect.any(String), errorCode: null }]);
    expect(reached.timeline.some((e) => e.kind === 'notified' && e.detail.includes(`the provider reports 'answered' for ${call.sessionId}`))).toBe(true);

    const pressed = await sipgate.pressKey(call.sessionId, answered.gather?.onData ?? '', '1');
    expect(pressed.status).toBe(200);
    expect(pressed.play).toBe(`${publicUrl}/callbacks/phone/sipgate/announcements/de/taken.wav`);

    const status = await read(alertId);
    expect(status.state).toBe('in_triage');
    expect(status.triage.assignedAnalyst).toBe('a.schmidt');
    const page = status.notifications.find((n) => n.messageId === call.sessionId);
    expect(page?.provider).toBe(`sipgate:${new URL(sipgate.url).host}`);
    expect(page?.acknowledgement?.number).toBe(ON_CALL_NUMBER);
    expect(Date.parse(page?.acknowledgement?.at ?? '')).toBeGreaterThan(Date.parse(status.receivedAt));
    expect(status.timeline.filter((e) => e.kind === 'claimed')).toEqual([expect.objectContaining({ actor: 'phone:a.schmidt', detail: `Taken by phone: key 1 pressed on the escalation call ${call.sessionId}` })]);
    // R17: the customer does not read who was called, nor from which number the incident was taken.
    expect(JSON.stringify(await read(alertId, running().key('customer', TENANT)))).not.toContain(ON_CALL_NUMBER);
    // Personal data stays out of the log lines (sipgate's pushes carry numbers).
    expect(logLines.join('')).not.toContain(ON_CALL_NUMBER.slice(1));
    // A second press on the same call changes nothing more.
    expect((await sipgate.pressKey(call.sessionId, answered.gather?.onData ?? '', '1')).play).toContain('/de/notTaken.wav');
  });

  test('R19 a key press with a forged or missing signature is refused (403) and changes nothing', async () => {
    const { alertId, call } = await escalatedIncident();
    const onData = `${publicUrl}/callbacks/phone/sipgate`;
    const forged = await sipgate.pressKey(call.sessionId, onData, '1', { signWith: 'other-key' });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('X-Sipgate-Signature');
    expect((await sipgate.pressKey(call.sessionId, onData, '1', { signWith: 'none' })).status).toBe(403);

    const status = await read(alertId);
    expect(status.state).toBe('awaiting_triage');
    expect(status.triage.assignedAnalyst).toBeNull();
  });

  test('R19 another key than 1, or none, does not take the incident; the escalation goes on', async () => {
    const { alertId, call } = await escalatedIncident();
    const onData = (await sipgate.answer(call.sessionId)).gather?.onData ?? '';
    expect((await sipgate.pressKey(call.sessionId, onData, '2')).play).toContain('/de/notTaken.wav');
    expect((await sipgate.pressKey(call.sessionId, onData, '')).play).toContain('/de/noInput.wav');
    const status = await read(alertId);
    expect(status.state).toBe('awaiting_triage');
    expect(status.timeline.some((e) => e.kind === 'claimed')).toBe(false);
  });

  test('a key pressed on a call that is no escalation call of an open alert takes nothing', async () => {
    const unknown = await sipgate.pressKey('0000000000000000000000000000000000000000', `${publicUrl}/callbacks/phone/sipgate`, '1');
    expect([unknown.status, unknown.play]).toEqual([200, `${publicUrl}/callbacks/phone/sipgate/announcements/de/notTaken.wav`]);
  });

  test('R8 an SMS page through sipgate is recorded as sent, with no receipt from the provider', async () => {
    firstStepTimeoutMs = 1_000;
    try {
      const alertId = await submitIncident(TENANT);
      // Nobody presses 1 on the first call: the second step pages by SMS.
      const status = await waitFor(() => read(alertId), (s) => s.notifications.some((n) => n.channel === 'sms' && n.purpose === 'escalation'), 'the SMS step’s record', 30_000);
      const page = status.notifications.find((n) => n.channel === 'sms' && n.purpose === 'escalation');
      expect(page).toMatchObject({ delivered: true, deliveryReport: 'none', messageId: expect.stringMatching(/^accepted:/) });
      expect(status.timeline.filter((e) => e.kind === 'notified' && e.detail.includes('by sms')).map((e) => e.detail)).toEqual([expect.stringContaining('sent, no receipt from the provider')]);
      // A call's receipt is the session sipgate opened, not such an acceptance.
      expect(status.notifications.find((n) => n.channel === 'voice')?.deliveryReport).toBeUndefined();
    } finally {
      firstStepTimeoutMs = 120_000;
    }
  });
});

describe('the announcements', () => {
  test('say what the catalogues say now (else: npm run generate:announcements)', () => {
    expect(JSON.parse(readFileSync(join(REPO, ANNOUNCEMENTS_DIR, MANIFEST_FILE), 'utf8'))).toEqual(announcementManifest());
  });

  test('are all served, in both languages; an unknown one is 404', async () => {
    for (const language of ['de', 'en']) {
      for (const name of ANNOUNCEMENT_NAMES) {
        const served = await request(running().app).get(`/callbacks/phone/sipgate/announcements/${language}/${name}.wav`);
        expect([served.status, served.headers['content-type']]).toEqual([200, 'audio/wav']);
      }
    }
    expect((await request(running().app).get('/callbacks/phone/sipgate/announcements/fr/taken.wav')).status).toBe(404);
  });
});

describe('the production signature check (the library’s, with sipgate’s public key built in)', () => {
  // The API's sipgate route with the check every configured process uses; no workflow is reached on a refusal.
  const app = express().use(
    sipgateCallbackRoutes(
      new SipgateCallbacks({ client: null as never, taskQueue: 'unused', publicBaseUrl: 'https://soar.soc-provider.example', socLanguage: 'de', signer: null as never, now: () => new Date(), logError: () => undefined, signedBySipgate: isSipgateSignature }),
      loadAnnouncements(join(REPO, ANNOUNCEMENTS_DIR)),
    ),
  );
  const body = 'event=dtmf&dtmf=1&callId=54566B150B0C0D3A5D564D5F565F735B';

  test('refuses a push signed with any key but sipgate’s, even a well-formed RSA-SHA256 signature (403)', async () => {
    const { createSign, generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signature = createSign('RSA-SHA256').update(body).sign(privateKey, 'base64');
    const refused = await request(app).post('/callbacks/phone/sipgate').type('form').set('x-sipgate-signature', signature).send(body);
    expect(refused.status).toBe(403);
  });

  test('refuses a push without a signature, or with garbage in its place (403)', async () => {
    expect((await request(app).post('/callbacks/phone/sipgate').type('form').send(body)).status).toBe(403);
    expect((await request(app).post('/callbacks/phone/sipgate').type('form').set('x-sipgate-signature', '%%%').send(body)).status).toBe(403);
  });
});
