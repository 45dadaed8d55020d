/** Sends a notification as plain-text e-mail over SMTP with nodemailer; the Message-ID is derived from the idempotency key. */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { DeliveryRejectedError } from './deliveryErrors';
import { smtpFailure } from './smtpFailure';
import type { Notification, ProviderAcceptance } from './types';

/** `implicit-tls`: TLS from the first byte (port 465). `starttls`: upgrade is required, never falls back to plain text. `none`: a trusted local relay only. */
export const SMTP_SECURITY = ['implicit-tls', 'starttls', 'none'] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

export interface SmtpSettings {
  host: string;
  port: number;
  security: SmtpSecurity;
  /** Envelope sender and `From` header; its domain is the right-hand side of every Message-ID. */
  from: string;
  /** Injected from the secret store; the password is never logged or put into an error. */
  auth?: { user: string; password: string };
  /** PEM of a private CA the relay's certificate chains to; the system CAs otherwise. */
  caCertificate?: string;
  /** Bound on connecting, on the greeting and on each wait for the server; 10 s unless set. */
  timeoutMs?: number;
}

export interface EmailSender {
  send(notification: Notification): Promise<ProviderAcceptance>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export function createSmtpEmailSender(settings: SmtpSettings): EmailSender {
  const provider = `smtp:${settings.host}`;
  const timeout = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'implicit-tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    tls: settings.caCertificate === undefined ? undefined : { ca: settings.caCertificate },
    auth: settings.auth === undefined ? undefined : { user: settings.auth.user, pass: settings.auth.password },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    async send(notification) {
      const messageId = messageIdFor(notification.idempotencyKey, settings.from);
      const info = await transport
        .sendMail({
          from: settings.from,
          to: notification.to,
          subject: notification.subject,
          text: notification.body,
          messageId,
          headers: {
            'X-SOAR-Tenant': notification.tenantId,
            'X-SOAR-Alert': notification.alertId,
            ...(notification.language ? { 'Content-Language': notification.language } : {}),
          },
        })
        .catch((error: unknown) => {
          throw smtpFailure(error, provider, [settings.auth?.password]);
        });
      if (info.rejected.length > 0) {
        throw new DeliveryRejectedError('email', provider, `the server refused ${info.rejected.join(', ')}`);
      }
      return { provider, messageId };
    },
  };
}

/**
 * The same key always gives the same Message-ID, so a send repeated after a lost answer is recognisable downstream.
 * The key is hashed because keys may hold characters a Message-ID must not.
 */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32);
  const domain = /@([^@<>\s]+)>?\s*$/.exec(from)?.[1] ?? 'soar.invalid';
  return `<soar.${digest}@${domain}>`;
}
