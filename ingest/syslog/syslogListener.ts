/**
 * The syslog listener (R12): UDP and TCP on one configured port. A sender is identified by its address among the
 * tenants' registered sources (R1); filterlog and FortiGate lines become events, evaluated like any other, their
 * hits summed per source for a short interval and then handed to their incidents. Nothing a sender sends can stop
 * the listener: every failure is counted, and unparseable lines are kept in a bounded ring for inspection.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import type { RawEvent } from '../../detection/eventMapping';
import { EventIntake } from '../eventIntake';
import type { EventBatch } from '../eventBatch';
import { parseFilterlog } from './filterlog';
import { parseFortigateKv } from './fortigateKv';
import { FrameSplitter } from './framing';
import { SenderDirectory, type Sender } from './senderDirectory';
import { SyslogStats } from './syslogStats';
import { parseSyslog, type SyslogMessage } from './syslogMessage';

export interface SyslogListenerOptions {
  host: string;
  /** One port for UDP and TCP; 0 picks free ports (they may then differ). */
  port: number;
  intake: EventIntake;
  senders: SenderDirectory;
  /** How long hits of one source are summed before they go to their incidents. */
  flushMs?: number;
  maxFrameBytes?: number;
  stats?: SyslogStats;
  logError: (line: string, error: unknown) => void;
}

export interface RunningSyslog {
  stats: SyslogStats;
  udpPort: number;
  tcpPort: number;
  /** Hands every pending hit to its incident now (tests, shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

type Parsed = { ok: true; fields: RawEvent; time: Date | undefined } | { ok: false; reason: string } | { ok: 'ignored' };

/** The body of a message from a source of this kind, as raw fields. */
function parseBody(sender: Sender, message: SyslogMessage): Parsed {
  const common = { ...(message.hostname ? { syslog_hostname: message.hostname } : {}), ...(message.appName ? { syslog_app: message.appName } : {}) };
  switch (sender.source.kind) {
    case 'firewall-opnsense':
    case 'firewall-pfsense': {
      // Other daemons of the firewall (configd, sshd, ...) log too; only the packet filter's lines are read.
      if (message.appName !== 'filterlog') return { ok: 'ignored' };
      const parsed = parseFilterlog(message.message);
      return parsed.ok ? { ok: true, fields: { ...common, ...parsed.fields }, time: message.timestamp } : parsed;
    }
    case 'firewall-fortigate': {
      const parsed = parseFortigateKv(message.message);
      return parsed.ok ? { ok: true, fields: { ...common, ...parsed.fields }, time: parsed.time ?? message.timestamp } : parsed;
    }
    default:
      return { ok: 'ignored' };
  }
}

const MAX_RETRIES = 3;
const MAX_RETRY_BATCHES = 100;

export async function startSyslogListener(options: SyslogListenerOptions): Promise<RunningSyslog> {
  const { intake, senders, logError } = options;
  const stats = options.stats ?? new SyslogStats();
  const maxFrame = options.maxFrameBytes ?? 64 * 1024;
  const pending = new Map<string, EventBatch>();
  let retries: { batch: EventBatch; attempts: number }[] = [];
  let sequence = 0;

  const receive = (text: string, from: string, transport: 'udp' | 'tcp') => {
    stats.received += 1;
    const sender = senders.find(from);
    if (!sender) return stats.countUnknownSender(from);
    const header = parseSyslog(text);
    if (!header.ok) return stats.keepUnparseable(from, transport, header.reason, text);
    const body = parseBody(sender, header.message);
    if (body.ok === 'ignored') {
      stats.ignored += 1;
      return;
    }
    if (!body.ok) return stats.keepUnparseable(from, transport, body.reason, text);
    const key = `${sender.tenant.id}/${sender.source.id}`;
    let batch = pending.get(key);
    if (!batch) {
      batch = intake.newBatch(intake.bind(sender.tenant, sender.source.id), { deliverySalt: EventIntake.freshSalt() });
      pending.set(key, batch);
    }
    const refusedBefore = batch.refusedCount;
    batch.addEvent(body.fields, body.time ?? new Date(), ++sequence);
    if (batch.refusedCount > refusedBefore) {
      const refusal = batch.refused[batch.refused.length - 1];
      stats.keepUnparseable(from, transport, refusal ? `${refusal.field}: ${refusal.reason}` : 'refused by the field mapping', text, 'refused');
    } else stats.accepted += 1;
  };

  const safeReceive = (text: string, from: string, transport: 'udp' | 'tcp') => {
    try {
      receive(text, from, transport);
    } catch (error) {
      stats.keepUnparseable(from, transport, `internal error: ${error instanceof Error ? error.message : String(error)}`, text);
    }
  };

  let flushing: Promise<void> = Promise.resolve();
  const flushOnce = async () => {
    const batches = [...retries, ...[...pending.values()].filter((b) => b.incidents.size > 0).map((batch) => ({ batch, attempts: 0 }))];
    pending.clear();
    retries = [];
    for (const entry of batches) {
      try {
        await intake.dispatch(entry.batch);
      } catch (error) {
        // Delivery keys are fixed per batch: a retry counts nothing twice.
        if (entry.attempts + 1 < MAX_RETRIES && retries.length < MAX_RETRY_BATCHES) retries.push({ batch: entry.batch, attempts: entry.attempts + 1 });
        else {
          stats.dispatchFailed += [...entry.batch.incidents.values()].reduce((sum, i) => sum + i.hits, 0);
          logError('syslog hits could not be handed to their incidents', error);
        }
      }
    }
  };
  const flush = () => (flushing = flushing.then(flushOnce, flushOnce));
  const timer = setInterval(() => void flush(), options.flushMs ?? 1000);
  timer.unref();

  const udp: Socket = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4' });
  udp.on('message', (message, remote) => safeReceive(message.toString('utf8'), remote.address, 'udp'));
  udp.on('error', (error) => logError('syslog UDP socket error', error));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(options.port, options.host, () => {
      udp.off('error', reject);
      resolve();
    });
  });

  const connections = new Set<TcpSocket>();
  const tcp: Server = createServer((socket) => {
    connections.add(socket);
    const from = socket.remoteAddress ?? 'unknown';
    const splitter = new FrameSplitter(maxFrame);
    socket.setTimeout(5 * 60_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of splitter.push(chunk)) {
          if (frame.ok) safeReceive(frame.text, from, 'tcp');
          else {
            stats.received += 1;
            stats.keepUnparseable(from, 'tcp', frame.reason, frame.text);
            if (frame.fatal) socket.destroy();
          }
        }
      } catch (error) {
        stats.keepUnparseable(from, 'tcp', `internal error: ${error instanceof Error ? error.message : String(error)}`, '');
        socket.destroy();
      }
    });
    socket.on('end', () => {
      for (const frame of splitter.end()) if (frame.ok) safeReceive(frame.text, from, 'tcp');
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => connections.delete(socket));
  });
  tcp.maxConnections = 512;
  tcp.on('error', (error) => logError('syslog TCP server error', error));
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(options.port === 0 ? 0 : options.port, options.host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });

  const udpPort = udp.address().port;
  const tcpAddress = tcp.address();
  const tcpPort = typeof tcpAddress === 'object' && tcpAddress ? tcpAddress.port : options.port;
  stats.udpPort = udpPort;
  stats.tcpPort = tcpPort;

  return {
    stats,
    udpPort,
    tcpPort,
    flush,
    async stop() {
      clearInterval(timer);
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      await flush();
    },
  };
}
