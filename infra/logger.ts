/**
 * Structured JSON logs (pino), one object per line on stderr: `time`, `level`, `message` and the ids known (tenant,
 * alert, workflow). Secrets, tokens and authorization headers are redacted by path; alert bodies are never passed in.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { build as prettyStream } from 'pino-pretty';

export type { Logger };
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Field paths whose values never reach a log line, at the top level and one object down. */
const SECRET_KEYS = ['authorization', 'cookie', 'password', 'secret', 'clientSecret', 'token', 'apiKey', 'key', 'accessToken', 'refreshToken'];
export const REDACTED_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  'headers',
  '*.headers',
  'body',
  '*.body',
];

export interface LoggerOptions {
  level?: LogLevel;
  /** Where the lines go (tests capture them); stderr by default. */
  destination?: DestinationStream;
}

export function createLogger({ level = 'info', destination }: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      messageKey: 'message',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { error: pino.stdSerializers.err, err: pino.stdSerializers.err },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** The process's log sink; a composition root sets its level from the configuration once (`configureLogging`). */
let processLogger: Logger | undefined;

export function rootLogger(): Logger {
  processLogger ??= createLogger();
  return processLogger;
}

export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * `json` for production (log shippers read it); `text` for a person at a console (`npm start`): one readable line per
 * event (time, level, message, then the fields as `name=value`), a message's first line only (the workflow bundler's
 * report is one long message).
 */
export function configureLogging(level: LogLevel, format: LogFormat = 'json'): Logger {
  if (format === 'text') processLogger = createLogger({ level, destination: textDestination() });
  rootLogger().level = level;
  return rootLogger();
}

function textDestination(): DestinationStream {
  return prettyStream({
    destination: 2,
    sync: true,
    colorize: false,
    // The fields are part of the message line (textLine); pino-pretty's own object print is off.
    singleLine: false,
    messageKey: 'message',
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    hideObject: true,
    messageFormat: (log, messageKey) => textLine(log, messageKey),
  });
}

const NOT_FIELDS = new Set(['time', 'level', 'pid', 'hostname']);

/** `message name=value …`: the message's first line, then each field on the same line (objects as compact JSON). */
export function textLine(log: Record<string, unknown>, messageKey = 'message'): string {
  const message = String(log[messageKey] ?? '').split('\n')[0] ?? '';
  const fields = Object.entries(log)
    .filter(([name, value]) => name !== messageKey && !NOT_FIELDS.has(name) && value !== undefined && value !== null)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value.split('\n')[0] : JSON.stringify(value)}`);
  return [message, ...fields].join(' ');
}

export function logLine(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  rootLogger()[level](fields, message);
}

export function logError(message: string, error: unknown): void {
  rootLogger().error({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }, message);
}
