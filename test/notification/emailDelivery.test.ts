/** E-mail notifications through the real nodemailer sender against a real SMTP server (smtp-server) on 127.0.0.1. */
import { createNotificationActivities } from '../../activities/notification/notifyActivities';
import { createSmtpEmailSender, type SmtpSettings } from '../../activities/notification/emailSender';
import { DELIVERY_DEFERRED, NotificationFailureType, type Notification } from '../../activities/notification/types';
import { failureOf, recordedText } from './failureOf';
import { startSilentServer, startSmtpTestServer, TEST_CA, type RunningSmtpServer } from './smtpTestServer';

const NOW = new Date('2026-03-02T09:15:00.000Z');
const LOGIN = { user: 'soar-relay', password: 'S3cret-smtp-passw0rd' };

const notification: Notification = {
  channel: 'email',
  to: 'ciso@customer.example',
  subject: 'Critical: account lock planned for j.doe',
  body: 'We will lock the account j.doe in 15 minutes (playbook lock-user).',
  tenantId: 'acme',
  alertId: 'alert.acme.defender.0123456789abcdef0123456789abcdef',
  idempotencyKey: 'alert.acme.defender.0123456789abcdef0123456789abcdef/inform/ciso/1',
};

function settingsFor(port: number, overrides: Partial<SmtpSettings> = {}): SmtpSettings {
  return { host: '127.0.0.1', port, security: 'starttls', from: 'soc@soar.example', caCertificate: TEST_CA, auth: LOGIN, ...overrides };
}

function activitiesFor(settings: SmtpSettings) {
  return createNotificationActivities({ email: createSmtpEmailSender(settings), now: () => NOW });
}

describe('e-mail notification over SMTP', () => {
  let server: RunningSmtpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('R8 (delivery proof) the e-mail reaches the server over STARTTLS with AUTH, and the receipt records it', async () => {
    server = await startSmtpTestServer({ auth: LOGIN });
    const receipt = await activitiesFor(settingsFor(server.port)).sendNotification(notification);

    expect(server.received).toHaveLength(1);
    const [got] = server.received;
    expect(got).toMatchObject({ mailFrom: 'soc@soar.example', rcptTo: ['ciso@customer.example'], user: LOGIN.user, secure: true });
    expect(got?.mail.subject).toBe(notification.subject);
    expect(got?.mail.text?.trim()).toBe(notification.body);
    expect(got?.mail.headers.get('x-soar-tenant')).toBe('acme');
    expect(got?.mail.headers.get('x-soar-alert')).toBe(notification.alertId);
    expect(got?.mail.messageId).toMatch(/^<soar\.[0-9a-f]{32}@soar\.example>$/);
    expect(receipt).toEqual({
      channel: 'email',
      recipient: 'ciso@customer.example',
      messageId: got?.mail.messageId,
      provider: 'smtp:127.0.0.1',
      acceptedAt: '2026-03-02T09:15:00.000Z',
      idempotencyKey: notification.idempotencyKey,
    });
  });

  test('sends through a relay without AUTH or TLS when configured as security none', async () => {
    server = await startSmtpTestServer({ startTls: false });
    const receipt = await activitiesFor(settingsFor(server.port, { security: 'none', auth: undefined })).sendNotification(notification);

    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({ rcptTo: ['ciso@customer.example'], user: undefined, secure: false });
    expect(receipt.messageId).toBe(server.received[0]?.mail.messageId);
  });

  test('a retried send carries the same Message-ID, another notification a different one', async () => {
    server = await startSmtpTestServer({ auth: LOGIN });
    const activities = activitiesFor(settingsFor(server.port));
    const first = await activities.sendNotification(notification);
    const retry = await activities.sendNotification(notification);
    const other = await activities.sendNotification({ ...notification, idempotencyKey: `${notification.idempotencyKey}-next` });

    expect(server.received.map((m) => m.mail.messageId)).toEqual([first.messageId, first.messageId, other.messageId]);
    expect(retry.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
  });

  test('a recipient refused with 550 is DeliveryRejected and not retryable', async () => {
    server = await startSmtpTestServer({ auth: LOGIN, refuseRecipient: { code: 550, message: 'No such user here' } });
    const failure = await failureOf(activitiesFor(settingsFor(server.port)).sendNotification(notification));

    expect(failure.type).toBe(NotificationFailureType.DeliveryRejected);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('No such user here');
    expect(failure.details).toEqual([expect.objectContaining({ channel: 'email', provider: 'smtp:127.0.0.1', code: 550 })]);
    expect(recordedText(failure)).not.toContain(LOGIN.password);
    expect(server.received).toHaveLength(0);
  });

  test('a temporary refusal (451) is a retryable DeliveryDeferred', async () => {
    server = await startSmtpTestServer({ auth: LOGIN, refuseRecipient: { code: 451, message: 'Try again later' } });
    const failure = await failureOf(activitiesFor(settingsFor(server.port)).sendNotification(notification));

    expect(failure.type).toBe(DELIVERY_DEFERRED);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('Try again later');
    expect(failure.details).toEqual([expect.objectContaining({ code: 451 })]);
    expect(recordedText(failure)).not.toContain(LOGIN.password);
  });

  test('a wrong password is DeliveryRejected (535), and the password appears nowhere in the failure', async () => {
    server = await startSmtpTestServer({ auth: LOGIN });
    const wrong = { user: LOGIN.user, password: 'Wr0ng-but-secret-passw0rd' };
    const failure = await failureOf(activitiesFor(settingsFor(server.port, { auth: wrong })).sendNotification(notification));

    expect(failure.type).toBe(NotificationFailureType.DeliveryRejected);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details).toEqual([expect.objectContaining({ code: 535 })]);
    expect(recordedText(failure)).not.toContain(wrong.password);
    expect(failure.stack ?? '').not.toContain(wrong.password);
  });

  test('a server that never answers fails within the configured bound, retryable', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const failure = await failureOf(activitiesFor(settingsFor(silent.port, { timeoutMs: 300 })).sendNotification(notification));

      expect(Date.now() - started).toBeLessThan(3_000);
      expect(failure.type).toBe(DELIVERY_DEFERRED);
      expect(failure.nonRetryable).toBe(false);
      expect(failure.message).toContain('timed out');
      expect(recordedText(failure)).not.toContain(LOGIN.password);
    } finally {
      await silent.close();
    }
  });
});
