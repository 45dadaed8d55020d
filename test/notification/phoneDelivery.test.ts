/** SMS and voice notifications through the real HTTP phone provider adapter (global fetch) against a local HTTP server. */
import { createNotificationActivities } from '../../activities/notification/notifyActivities';
import { createHttpPhoneProvider, retryAfterMs, type HttpPhoneProviderSettings } from '../../activities/notification/smsSender';
import { DELIVERY_DEFERRED, NotificationFailureType, type Notification } from '../../activities/notification/types';
import { failureOf, recordedText } from './failureOf';
import { startPhoneProviderServer, type RunningPhoneProvider } from './phoneProviderTestServer';

const NOW = new Date('2026-03-02T22:40:00.000Z');
const TOKEN = 'tok_live_9f8e7d6c5b4a3210';

const sms: Notification = {
  channel: 'sms',
  to: '+4917012345678',
  subject: 'unused for phone channels',
  body: 'SOC: we will lock account j.doe at 22:55 (playbook lock-user). Reply to the SOC hotline to object.',
  tenantId: 'acme',
  alertId: 'alert.acme.defender.0123456789abcdef0123456789abcdef',
  idempotencyKey: 'alert.acme.defender.0123456789abcdef0123456789abcdef/inform/it-lead/1',
};

function activitiesFor(baseUrl: string, overrides: Partial<HttpPhoneProviderSettings> = {}) {
  const phone = createHttpPhoneProvider({ baseUrl, from: 'ACME-SOC', token: TOKEN, ...overrides });
  return createNotificationActivities({ phone, now: () => NOW });
}

describe('SMS and voice notification over the provider HTTP API', () => {
  let provider: RunningPhoneProvider | undefined;
  afterEach(async () => {
    await provider?.close();
    provider = undefined;
  });

  test('R8 (delivery proof) an SMS is posted with token and idempotency key, and the receipt carries the provider id', async () => {
    provider = await startPhoneProviderServer({ status: 201, body: JSON.stringify({ id: 'msg_01HX', status: 'queued', price: '0.07' }) });
    const receipt = await activitiesFor(provider.baseUrl).sendNotification(sms);

    expect(provider.requests).toHaveLength(1);
    const [request] = provider.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['idempotency-key']).toBe(sms.idempotencyKey);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ to: sms.to, from: 'ACME-SOC', body: sms.body, channel: 'sms', reference: sms.idempotencyKey });
    expect(receipt).toEqual({
      channel: 'sms',
      recipient: sms.to,
      messageId: 'msg_01HX',
      provider: `http-phone:${new URL(provider.baseUrl).host}`,
      acceptedAt: '2026-03-02T22:40:00.000Z',
      idempotencyKey: sms.idempotencyKey,
    });
  });

  test('R19 (phone leg only) a voice call goes through the same API with channel voice', async () => {
    provider = await startPhoneProviderServer({ status: 202, body: JSON.stringify({ id: 'call_77', status: 'sent' }) });
    const receipt = await activitiesFor(provider.baseUrl).sendNotification({ ...sms, channel: 'voice' });

    expect(JSON.parse(provider.requests[0]?.body ?? '')).toMatchObject({ channel: 'voice', to: sms.to });
    expect(receipt).toMatchObject({ channel: 'voice', messageId: 'call_77' });
  });

  test('429 with Retry-After: 2 is retryable with a next retry delay of 2 s', async () => {
    provider = await startPhoneProviderServer({ status: 429, headers: { 'retry-after': '2' }, body: JSON.stringify({ error: 'rate limited' }) });
    const failure = await failureOf(activitiesFor(provider.baseUrl).sendNotification(sms));

    expect(failure.type).toBe(DELIVERY_DEFERRED);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(2_000);
    expect(failure.details).toEqual([expect.objectContaining({ code: 429 })]);
  });

  test("400 is DeliveryRejected with the provider's message, never the token it echoed", async () => {
    const echo = { error: { message: `number +4917012345678 is not reachable (request had Authorization: Bearer ${TOKEN})` } };
    provider = await startPhoneProviderServer({ status: 400, body: JSON.stringify(echo) });
    const failure = await failureOf(activitiesFor(provider.baseUrl).sendNotification(sms));

    expect(failure.type).toBe(NotificationFailureType.DeliveryRejected);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('HTTP 400: number +4917012345678 is not reachable');
    expect(failure.details).toEqual([expect.objectContaining({ channel: 'sms', code: 400 })]);
    expect(recordedText(failure)).not.toContain(TOKEN);
    expect(failure.stack ?? '').not.toContain(TOKEN);
  });

  test('503 is retryable', async () => {
    provider = await startPhoneProviderServer({ status: 503, body: 'upstream carrier unavailable' });
    const failure = await failureOf(activitiesFor(provider.baseUrl).sendNotification(sms));

    expect(failure.type).toBe(DELIVERY_DEFERRED);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('HTTP 503: upstream carrier unavailable');
    expect(failure.nextRetryDelay).toBeUndefined();
  });

  test('an acceptance that is not JSON is retryable, with a clear message', async () => {
    provider = await startPhoneProviderServer({ status: 201, body: '<html>gateway says ok</html>' });
    const failure = await failureOf(activitiesFor(provider.baseUrl).sendNotification(sms));

    expect(failure.type).toBe(DELIVERY_DEFERRED);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('answered 201 but the body is not JSON: <html>gateway says ok</html>');
  });

  test('an acceptance without {id, status} (here an unknown status) is retryable, not a receipt', async () => {
    provider = await startPhoneProviderServer({ status: 200, body: JSON.stringify({ id: 'msg_2', status: 'failed' }) });
    const failure = await failureOf(activitiesFor(provider.baseUrl).sendNotification(sms));

    expect(failure.type).toBe(DELIVERY_DEFERRED);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('answered 200 but not with {id, status}');
    expect(failure.message).toContain('at status');
  });

  test('a provider that never answers fails within the configured bound, retryable', async () => {
    provider = await startPhoneProviderServer(null);
    const started = Date.now();
    const failure = await failureOf(activitiesFor(provider.baseUrl, { timeoutMs: 300 }).sendNotification(sms));

    expect(Date.now() - started).toBeLessThan(3_000);
    expect(failure.type).toBe(DELIVERY_DEFERRED);
    expect(failure.message).toContain('no answer within 300 ms');
  });

  test('a provider that cannot be reached is retryable', async () => {
    const closed = await startPhoneProviderServer({ status: 201 });
    await closed.close();
    const failure = await failureOf(activitiesFor(closed.baseUrl).sendNotification(sms));

    expect(failure.type).toBe(DELIVERY_DEFERRED);
    expect(failure.message).toContain('could not reach the provider: ECONNREFUSED');
  });

  test('the base URL must be https; plain http only for a loopback host', () => {
    expect(() => createHttpPhoneProvider({ baseUrl: 'http://sms.example.com/v1', from: 'ACME-SOC', token: TOKEN })).toThrow(/must use https/);
    expect(() => createHttpPhoneProvider({ baseUrl: 'https://sms.example.com/v1', from: 'ACME-SOC', token: TOKEN })).not.toThrow();
  });

  test('Retry-After is read as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-02T22:40:00Z');
    expect(retryAfterMs('2', now)).toBe(2_000);
    expect(retryAfterMs('Mon, 02 Mar 2026 22:40:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
