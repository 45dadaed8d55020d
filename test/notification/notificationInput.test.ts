/** The activity refuses, without retrying and before any send, a recipient that does not fit its channel, a channel with no sender, and malformed input. */
import { createNotificationActivities } from '../../activities/notification/notifyActivities';
import type { EmailSender } from '../../activities/notification/emailSender';
import type { PhoneProvider } from '../../activities/notification/smsSender';
import { NotificationFailureType, type Notification } from '../../activities/notification/types';
import { failureOf } from './failureOf';

const base: Notification = {
  channel: 'email',
  to: 'it-lead@customer.example',
  subject: 'Finding for alert 42',
  body: 'Details in the dashboard.',
  tenantId: 'acme',
  alertId: 'alert.acme.defender.0123456789abcdef0123456789abcdef',
  idempotencyKey: 'alert.acme.defender.0123456789abcdef0123456789abcdef/finding/it-lead',
};

/** Our own sender interfaces, counting calls: the point is that none is made. */
function countingSenders() {
  const sent: Notification[] = [];
  const email: EmailSender = { send: async (n) => (sent.push(n), { provider: 'test-email', messageId: 'e1' }) };
  const phone: PhoneProvider = { send: async (n) => (sent.push(n), { provider: 'test-phone', messageId: 'p1' }) };
  return { sent, email, phone };
}

describe('notification input', () => {
  test.each([
    ['email', '+4917012345678'],
    ['email', 'not-an-address'],
    ['sms', 'it-lead@customer.example'],
    ['sms', '0170 1234567'],
    ['voice', '+0049170123'],
  ] as const)('%s to %p is InvalidRecipient and not retryable', async (channel, to) => {
    const { sent, email, phone } = countingSenders();
    const failure = await failureOf(createNotificationActivities({ email, phone, now: () => new Date() }).sendNotification({ ...base, channel, to }));

    expect(failure.type).toBe(NotificationFailureType.InvalidRecipient);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(to);
    expect(sent).toHaveLength(0);
  });

  test('e-mail without an e-mail sender is ChannelNotConfigured and not retryable', async () => {
    const { phone } = countingSenders();
    const failure = await failureOf(createNotificationActivities({ phone, now: () => new Date() }).sendNotification(base));

    expect(failure.type).toBe(NotificationFailureType.ChannelNotConfigured);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('email');
  });

  test.each(['sms', 'voice'] as const)('%s without a phone provider is ChannelNotConfigured and not retryable', async (channel) => {
    const { email } = countingSenders();
    const failure = await failureOf(createNotificationActivities({ email, now: () => new Date() }).sendNotification({ ...base, channel, to: '+4917012345678' }));

    expect(failure.type).toBe(NotificationFailureType.ChannelNotConfigured);
    expect(failure.nonRetryable).toBe(true);
  });

  test('a line break in a header value is InvalidNotification, so nothing is smuggled into the mail headers', async () => {
    const { sent, email } = countingSenders();
    const failure = await failureOf(
      createNotificationActivities({ email, now: () => new Date() }).sendNotification({ ...base, tenantId: 'acme\r\nBcc: attacker@evil.example' }),
    );

    expect(failure.type).toBe(NotificationFailureType.InvalidNotification);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('tenantId');
    expect(sent).toHaveLength(0);
  });

  test('a valid notification reaches its channel sender and the receipt takes the injected time', async () => {
    const { sent, email, phone } = countingSenders();
    const receipt = await createNotificationActivities({ email, phone, now: () => new Date('2026-03-02T10:00:00Z') }).sendNotification({
      ...base,
      channel: 'voice',
      to: '+4917012345678',
    });

    expect(sent).toHaveLength(1);
    expect(receipt).toEqual({
      channel: 'voice',
      recipient: '+4917012345678',
      messageId: 'p1',
      provider: 'test-phone',
      acceptedAt: '2026-03-02T10:00:00.000Z',
      idempotencyKey: base.idempotencyKey,
    });
  });
});
