/**
 * SMS and voice through Twilio and sipgate, each with its official library pointed at an HTTPS fake that
 * speaks the provider's documented requests and answers; the notification activity maps their failures.
 */
import { choosePhoneProvider } from '../../activities/notification/choosePhoneProvider';
import { createTwilioPhoneProvider } from '../../activities/notification/twilioPhoneProvider';
import { requestTo } from '../support/vendors/httpsFake';
import { createNotificationActivities } from '../../activities/notification/notifyActivities';
import { DELIVERY_DEFERRED, NotificationFailureType, type Notification } from '../../activities/notification/types';
import { startSipgateFake, type RunningSipgateFake } from '../support/vendors/sipgateFake';
import { startTwilioFake, type RunningTwilioFake } from '../support/vendors/twilioFake';
import { failureOf, recordedText } from './failureOf';

const NOW = new Date('2026-03-02T22:40:00.000Z');
const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'twilio-auth-token-5f4dcc3b5aa765d6';
const SIPGATE_TOKEN = 'sipgate-pat-1b2c3d4e5f60718293a4';
const SECRETS: Record<string, string> = { 'env:TWILIO_TOKEN': AUTH_TOKEN, 'env:SIPGATE_TOKEN': SIPGATE_TOKEN };
const resolve = (ref: string) => {
  const secret = SECRETS[ref];
  if (secret === undefined) throw new Error(`no secret ${ref}`);
  return secret;
};

const sms: Notification = {
  channel: 'sms',
  to: '+4917012345678',
  subject: 'unused for phone channels',
  body: 'SOC-Hinweis (hoch): Verdächtiger Zugriff. Empfehlung: Konto sperren.',
  tenantId: 'acme',
  alertId: 'alert.acme.defender.0123456789abcdef0123456789abcdef',
  idempotencyKey: 'alert.acme.defender.0123456789abcdef0123456789abcdef/n1',
  purpose: 'findings',
  language: 'de',
};

const noPhone = { phone: null, twilio: null, sipgate: null, phoneCallbackUrl: null, socLanguage: 'de' as const };

describe('Twilio (official library against an HTTPS fake of its REST API)', () => {
  let twilio: RunningTwilioFake;
  beforeEach(async () => {
    twilio = await startTwilioFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  });
  afterEach(() => twilio.close());

  const activities = (callbackUrl: string | null = 'https://soar.soc-provider.example') =>
    createNotificationActivities({
      phone: choosePhoneProvider({ ...noPhone, twilio: { accountSid: ACCOUNT_SID, authTokenRef: 'env:TWILIO_TOKEN', from: '+4928219990000', apiBaseUrl: twilio.url }, phoneCallbackUrl: callbackUrl }, resolve),
      now: () => NOW,
    });

  test('R8 (delivery proof) an SMS goes to the Messages API with a status callback, and the receipt carries the message SID', async () => {
    const receipt = await activities().sendNotification(sms);

    const [request] = twilio.requests;
    expect(request?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(request?.body).toMatchObject({
      To: sms.to,
      From: '+4928219990000',
      Body: sms.body,
      StatusCallback: `https://soar.soc-provider.example/callbacks/phone/twilio/status?alert=${sms.alertId}`,
    });
    const [message] = twilio.created;
    expect(receipt).toEqual({ channel: 'sms', recipient: sms.to, messageId: message?.sid, provider: `twilio:${new URL(twilio.url).host}`, acceptedAt: NOW.toISOString(), idempotencyKey: sms.idempotencyKey });
    expect(message?.sid).toMatch(/^SM[0-9a-f]{32}$/);
  });

  test('a voice message is a call whose TwiML speaks the text in the tenant’s language', async () => {
    const receipt = await activities().sendNotification({ ...sms, channel: 'voice', purpose: 'management_escalation', language: 'en', body: 'Your SOC reports a critical incident.' });

    const [call] = twilio.created;
    expect(twilio.requests[0]?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`);
    expect(call?.kind).toBe('call');
    expect(call?.content).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-GB">Your SOC reports a critical incident.</Say></Response>');
    expect(receipt.messageId).toBe(call?.sid);
  });

  test('R19 an escalation call asks, in the SOC’s language, to press 1, answered by the signed key-press callback', async () => {
    await activities().sendNotification({ ...sms, channel: 'voice', purpose: 'escalation', language: undefined, body: 'Critical incident not acknowledged' });

    const twiml = twilio.created[0]?.content ?? '';
    expect(twiml).toContain(`<Gather numDigits="1" timeout="10" method="POST" action="https://soar.soc-provider.example/callbacks/phone/twilio/keypress?alert=${sms.alertId}">`);
    expect(twiml).toContain('<Say language="de-DE">Drücken Sie die 1, um den Vorfall zu übernehmen.</Say></Gather>');
    expect(twiml).toContain('<Say language="de-DE">Keine Eingabe erhalten.');
  });

  test('without a callback address no status callback is asked for and a call asks for no key', async () => {
    await activities(null).sendNotification({ ...sms, channel: 'voice', purpose: 'escalation', body: 'Critical incident not acknowledged' });

    expect(twilio.requests[0]?.body).not.toHaveProperty('StatusCallback');
    expect(twilio.created[0]?.content).not.toContain('Gather');
  });

  test('an invalid number (400, Twilio error 21211) is DeliveryRejected with Twilio’s words, never the auth token', async () => {
    twilio.failNext({ status: 400, code: 21211, message: `The 'To' number +4917012345678 is not a valid phone number. (token ${AUTH_TOKEN})` });
    const failure = await failureOf(activities().sendNotification(sms));

    expect(failure.type).toBe(NotificationFailureType.DeliveryRejected);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain("HTTP 400 (Twilio error 21211): The 'To' number +4917012345678 is not a valid phone number");
    expect(recordedText(failure)).not.toContain(AUTH_TOKEN);
  });

  test('429 and 503 are retryable', async () => {
    twilio.failNext({ status: 429, code: 20429, message: 'Too Many Requests' }, { status: 503, code: 20503, message: 'Service unavailable' });
    for (const status of [429, 503]) {
      const failure = await failureOf(activities().sendNotification(sms));
      expect(failure.type).toBe(DELIVERY_DEFERRED);
      expect(failure.nonRetryable).toBe(false);
      expect(failure.details).toEqual([expect.objectContaining({ code: status })]);
    }
  });

  describe('a retry after an attempt without an answer (Twilio takes no idempotency key for new messages and calls)', () => {
    const FIRST_SCHEDULED = new Date(Date.now() - 1_000);
    /** The activity as its attempts see it, with a short client timeout so the stalled first answer times out quickly. */
    const attempts = (firstNumber = 1) => {
      let attempt = firstNumber;
      const send = createNotificationActivities({
        phone: createTwilioPhoneProvider({
          accountSid: ACCOUNT_SID,
          authToken: () => AUTH_TOKEN,
          from: '+4928219990000',
          apiBaseUrl: twilio.url,
          callbackBaseUrl: null,
          socLanguage: 'de',
          timeoutMs: 1_000,
        }),
        now: () => NOW,
        attempt: () => ({ number: attempt, firstScheduledAt: FIRST_SCHEDULED }),
      }).sendNotification;
      return async (notification: Notification) => {
        const result = await send(notification).then(
          (receipt) => ({ receipt, failure: null }),
          (error: unknown) => ({ receipt: null, failure: error }),
        );
        attempt += 1;
        return result;
      };
    };
    const stallNextCreate = (resource: 'Messages' | 'Calls') => twilio.faults.add(1, { kind: 'applyThenHang' }, requestTo('POST', `/2010-04-01/Accounts/${ACCOUNT_SID}/${resource}.json`));

    test('an SMS Twilio created before its answer timed out is found on the retry and not sent twice', async () => {
      stallNextCreate('Messages');
      const send = attempts();
      const first = await send(sms);
      expect(first.failure).toMatchObject({ type: DELIVERY_DEFERRED, nonRetryable: false, message: expect.stringContaining('no answer within 1000 ms') });
      expect(twilio.created).toHaveLength(1);

      const second = await send(sms);
      expect(twilio.created).toHaveLength(1);
      expect(second.receipt).toMatchObject({ messageId: twilio.created[0]?.sid, retryCheck: { outcome: 'recovered', found: [twilio.created[0]?.sid] } });
      expect(twilio.requests.map((r) => `${r.method} ${r.path.split('/').at(-1)} ${r.query['To'] ?? ''}`)).toEqual(['POST Messages.json ', `GET Messages.json ${sms.to}`]);
    });

    test('another text to the same number is not taken for the earlier attempt: the SMS is sent, and the record says it looked', async () => {
      await attempts()({ ...sms, body: 'Eine andere Meldung an dieselbe Nummer.' });
      const retry = await attempts(2)(sms);
      expect(twilio.created.map((r) => [r.to, r.content])).toEqual([
        [sms.to, 'Eine andere Meldung an dieselbe Nummer.'],
        [sms.to, sms.body],
      ]);
      expect(retry.receipt).toMatchObject({ messageId: twilio.created[1]?.sid, retryCheck: { outcome: 'resent', found: [] } });
    });

    test('a call cannot be told apart at Twilio: the retry calls again and records the possible duplicate', async () => {
      stallNextCreate('Calls');
      const call = { ...sms, channel: 'voice', purpose: 'escalation', body: 'Kritischer Vorfall' } as const;
      const send = attempts();
      expect((await send(call)).failure).toMatchObject({ type: DELIVERY_DEFERRED });
      const retry = await send(call);
      const [earlier, again] = twilio.created;
      expect(twilio.created.map((r) => r.kind)).toEqual(['call', 'call']);
      expect(retry.receipt).toMatchObject({ messageId: again?.sid, retryCheck: { outcome: 'possible_duplicate', found: [earlier?.sid] } });
    });
  });

  test('a wrong auth token is refused by Twilio (401) and not retried', async () => {
    const wrong = createNotificationActivities({
      phone: choosePhoneProvider({ ...noPhone, twilio: { accountSid: ACCOUNT_SID, authTokenRef: 'env:SIPGATE_TOKEN', from: '+4928219990000', apiBaseUrl: twilio.url } }, resolve),
      now: () => NOW,
    });
    const failure = await failureOf(wrong.sendNotification(sms));
    expect(failure.type).toBe(NotificationFailureType.DeliveryRejected);
    expect(failure.message).toContain('HTTP 401 (Twilio error 20003)');
    expect(recordedText(failure)).not.toContain(SIPGATE_TOKEN);
  });
});

describe('sipgate (official library’s SMS and call modules against an HTTPS fake of its REST API)', () => {
  let sipgate: RunningSipgateFake;
  beforeEach(async () => {
    sipgate = await startSipgateFake({ tokenId: 'token-ABC123', token: SIPGATE_TOKEN, smsIds: ['s0'], deviceIds: ['e0'] });
  });
  afterEach(() => sipgate.close());

  const activities = (smsId = 's0', calls: { deviceId: string; target: string } | null = null) =>
    createNotificationActivities({
      phone: choosePhoneProvider({ ...noPhone, sipgate: { tokenId: 'token-ABC123', tokenRef: 'env:SIPGATE_TOKEN', smsId, apiBaseUrl: `${sipgate.url}/v2`, calls } }, resolve),
      now: () => NOW,
    });
  const escalationCall: Notification = { ...sms, channel: 'voice', purpose: 'escalation', language: undefined, body: 'Critical incident alert.acme.defender.0123 not acknowledged' };

  test('R8 (delivery proof) an SMS is posted to /sessions/sms with the SMS extension, and its acceptance is the receipt', async () => {
    const receipt = await activities().sendNotification(sms);

    expect(sipgate.sent).toEqual([{ smsId: 's0', recipient: sms.to, message: sms.body }]);
    expect(sipgate.requests[0]?.headers['content-type']).toBe('application/json');
    expect(receipt).toMatchObject({ channel: 'sms', messageId: `accepted:${sms.idempotencyKey}`, provider: `sipgate:${new URL(sipgate.url).host}` });
  });

  test('R8 an SMS receipt through sipgate says that no delivery report follows (sent, no receipt from the provider)', async () => {
    expect((await activities().sendNotification(sms)).deliveryReport).toBe('none');
  });

  test('R19 an escalation by voice is the page by SMS and a call from the on-call number to the SOC desk, whose session id is the receipt', async () => {
    const receipt = await activities('s0', { deviceId: 'e0', target: '+4928219990000' }).sendNotification(escalationCall);

    expect(sipgate.sent).toEqual([{ smsId: 's0', recipient: sms.to, message: escalationCall.body }]);
    expect(sipgate.requests.map((r) => r.path)).toEqual(['/v2/sessions/sms', '/v2/sessions/calls']);
    expect(sipgate.requests[1]?.body).toEqual({ caller: sms.to, callee: '+4928219990000', deviceId: 'e0' });
    expect(receipt).toMatchObject({ channel: 'voice', messageId: sipgate.calls[0]?.sessionId, provider: `sipgate:${new URL(sipgate.url).host}` });
    expect(receipt.deliveryReport).toBeUndefined();
  });

  test('a call with a device the token may not use (403) is DeliveryRejected, with the library’s words', async () => {
    const failure = await failureOf(activities('s0', { deviceId: 'e9', target: '+4928219990000' }).sendNotification(escalationCall));
    expect(failure.type).toBe(NotificationFailureType.DeliveryRejected);
    expect(failure.message).toContain('HTTP 403');
    expect(failure.message).toContain('the page’s text went out by SMS');
    expect(recordedText(failure)).not.toContain(SIPGATE_TOKEN);
  });

  test('an escalation by voice without sipgate calls configured is refused for good, naming the variables', async () => {
    const failure = await failureOf(activities().sendNotification(escalationCall));
    expect(failure.type).toBe(NotificationFailureType.DeliveryRejected);
    expect(failure.message).toContain('SOAR_SIPGATE_CALL_DEVICE_ID');
    expect(sipgate.requests).toHaveLength(0);
  });

  test('an SMS extension the token may not use (403) is DeliveryRejected', async () => {
    const failure = await failureOf(activities('s7').sendNotification(sms));
    expect(failure.type).toBe(NotificationFailureType.DeliveryRejected);
    expect(failure.message).toContain('HTTP 403');
  });

  test('503 is retryable', async () => {
    sipgate.failNext(503);
    const failure = await failureOf(activities().sendNotification(sms));
    expect(failure.type).toBe(DELIVERY_DEFERRED);
    expect(failure.nonRetryable).toBe(false);
  });

  test('other spoken messages through sipgate are refused for good (no text-to-speech), so the escalation moves on at once', async () => {
    const failure = await failureOf(activities('s0', { deviceId: 'e0', target: '+4928219990000' }).sendNotification({ ...sms, channel: 'voice' }));
    expect(failure.type).toBe(NotificationFailureType.DeliveryRejected);
    expect(failure.message).toContain('no text-to-speech');
    expect(sipgate.requests).toHaveLength(0);
  });
});
