/**
 * The embedded set-up's outbox (`npm start`): a local mail sink (a real SMTP server, smtp-server) and a local SMS/voice
 * sink speaking the phone provider's JSON API, both on 127.0.0.1. The engine sends to them through its real senders;
 * every message received is appended to a JSON Lines file that the admin dashboard's outbox page lists. Nothing leaves
 * the machine.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { z } from 'zod';
import { LANGUAGES } from '../../domain/i18n/language';
import type { EngineConfig } from '../config';
import { outboxEntrySchema, type OutboxEntry } from './outboxFile';
import { logLine } from '../logger';

export interface RunningMessageSinks {
  /** The notification settings that send to the sinks. */
  notifications: EngineConfig['notifications'];
  outboxFile: string;
  /** One line for the start summary: where each channel goes. */
  summary: string;
  smtpPort: number;
  phoneUrl: string;
  stop(): Promise<void>;
}

/** What the phone provider API receives (activities/notification/smsSender.ts). */
const phoneRequestSchema = z.object({
  to: z.string(),
  from: z.string(),
  body: z.string(),
  channel: z.enum(['sms', 'voice']),
  reference: z.string(),
  language: z.enum(LANGUAGES).optional(),
});

const MAX_BODY_BYTES = 256 * 1024;

/** The phone sender needs a token; the sink asks for one, like a provider, and keeps none. */
const SINK_TOKEN = `outbox-${randomUUID()}`;

/** Appends the message and says so on the console: channel and language only (recipients and texts are personal data). */
function record(file: string, entry: OutboxEntry): void {
  appendFileSync(file, `${JSON.stringify(outboxEntrySchema.parse(entry))}\n`, { mode: 0o600 });
  logLine('info', `${entry.channel} in the outbox`, { language: entry.language ?? 'internal' });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy(new Error('message too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

async function startMailSink(outboxFile: string, now: () => Date): Promise<SMTPServer & { port: number }> {
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: MAX_BODY_BYTES,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const language = LANGUAGES.find((l) => l === mail.headers.get('content-language'));
          for (const recipient of session.envelope.rcptTo) {
            record(outboxFile, { at: now().toISOString(), channel: 'email', recipient: recipient.address, language: language ?? null, subject: mail.subject ?? null, text: mail.text ?? '' });
          }
          callback();
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  return Object.assign(server, { port: address.port });
}

async function startPhoneSink(outboxFile: string, now: () => Date): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const answer = (status: number, body: object) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== '/v1/messages') return answer(404, { error: 'not found' });
    if (!request.headers.authorization?.startsWith('Bearer ')) return answer(401, { error: 'a Bearer token is required' });
    readBody(request).then(
      (text) => {
        const parsed = phoneRequestSchema.safeParse(JSON.parse(text));
        if (!parsed.success) return answer(400, { error: z.prettifyError(parsed.error) });
        const { channel, to, body, language } = parsed.data;
        record(outboxFile, { at: now().toISOString(), channel, recipient: to, language: language ?? null, subject: null, text: body });
        answer(201, { id: `outbox-${randomUUID()}`, status: 'delivered' });
      },
      () => answer(400, { error: 'unreadable body' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

/**
 * Starts both sinks; a channel the environment configured (SOAR_SMTP_HOST, SOAR_PHONE_API_URL) keeps its provider,
 * the sinks take the rest. The outbox file is `outbox.jsonl` in the data folder (beside the read model).
 */
export async function startMessageSinks(
  config: Pick<EngineConfig, 'notifications' | 'database'>,
  now: () => Date = () => new Date(),
): Promise<RunningMessageSinks> {
  const outboxFile = join(dirname(config.database.sqliteFile), 'outbox.jsonl');
  mkdirSync(dirname(outboxFile), { recursive: true });
  const mail = await startMailSink(outboxFile, now);
  const phone = await startPhoneSink(outboxFile, now);
  const configured = config.notifications;
  // A configured Twilio or sipgate account takes SMS and voice; the sink only stands in when no provider is set.
  const realPhone = configured.twilio ? 'Twilio' : configured.sipgate ? 'sipgate' : null;
  return {
    notifications: {
      ...configured,
      smtp: configured.smtp ?? { host: '127.0.0.1', port: mail.port, security: 'none', from: 'soc@soc-provider.example', auth: undefined, timeoutMs: 10_000 },
      phone: configured.phone ?? (realPhone ? null : { baseUrl: phone.url, from: 'SOC', token: SINK_TOKEN }),
    },
    outboxFile,
    summary: [
      configured.smtp ? `e-mail to ${configured.smtp.host}` : `e-mail to the local sink smtp://127.0.0.1:${mail.port}`,
      realPhone ? `SMS and voice through ${realPhone}` : configured.phone ? `SMS and voice to ${new URL(configured.phone.baseUrl).host}` : `SMS and voice to the local sink ${phone.url}`,
    ].join('; '),
    smtpPort: mail.port,
    phoneUrl: phone.url,
    stop: async () => {
      await new Promise<void>((resolve) => mail.close(() => resolve()));
      phone.server.closeAllConnections();
      await new Promise<void>((resolve) => phone.server.close(() => resolve()));
    },
  };
}
