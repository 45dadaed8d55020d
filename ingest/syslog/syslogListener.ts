/**
 * The syslog listener (R12): UDP and TCP on one configured port, and optionally syslog over TLS (RFC 5425) on another.
 * Over UDP and TCP a sender is identified by its address among the tenants' registered sources (R1); over TLS by the
 * fingerprint of its client certificate, whatever its address, with octet-counting framing only. Filterlog and FortiGate lines become events, evaluated like any other, their
 * hits summed per source for a short interval and then handed to their incidents. Nothing a sender sends can stop
 * the listener: every failure is counted, and unparseable lines are kept in a bounded ring for inspection.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { RawEvent } from '../../detection/eventMapping';
import { EventIntake } from '../eventIntake';
import type { EventBatch } from '../eventBatch';
import { parseFilterlog } from './filterlog';
import { parseFortigateKv } from './fortigateKv';
import { FrameSplitter } from './framing';
import { SenderDirectory, type Sender } from './senderDirectory';
import { SyslogStats, type SyslogTransport } from './syslogStats';
import { parseSyslog, type SyslogMessage } from './syslogMessage';

export interface SyslogListenerOptions {
  host: string;
  /** One port for UDP and TCP; 0 picks free ports (they may then differ). */
  port: number;
  /** Syslog over TLS (RFC 5425, usually port 6514): the listener's certificate and key; senders present client certificates. */
  tls?: { port: number; cert: Buffer | string; key: Buffer | string };
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
  /** The TLS port, or null when syslog over TLS is not configured. */
  tlsPort: number | null;
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

  const receive = (text: string, from: string, transport: SyslogTransport, known?: Sender) => {
    stats.received += 1;
    const sender = known ?? senders.find(from);
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

  const safeReceive = (text: string, from: string, transport: SyslogTransport, known?: Sender) => {
    try {
      receive(text, from, transport, known);
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
  /** A stream of frames from one connection; over TLS the sender is the certificate's source, and framing is octet counting. */
  const readStream = (socket: TcpSocket, from: string, transport: 'tcp' | 'tls', sender?: Sender) => {
    connections.add(socket);
    const splitter = new FrameSplitter(maxFrame, transport === 'tls');
    socket.setTimeout(5 * 60_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of splitter.push(chunk)) {
          if (frame.ok) safeReceive(frame.text, from, transport, sender);
          else {
            stats.received += 1;
            stats.keepUnparseable(from, transport, frame.reason, frame.text);
            if (frame.fatal) socket.destroy();
          }
        }
      } catch (error) {
        stats.keepUnparseable(from, transport, `internal error: ${error instanceof Error ? error.message : String(error)}`, '');
        socket.destroy();
      }
    });
    socket.on('end', () => {
      if (transport === 'tls') {
        const rest = splitter.end();
        if (rest.length > 0) stats.keepUnparseable(from, transport, 'RFC 5425: octet-counting framing (`<length> <message>`) is required over TLS', rest[0]?.ok ? rest[0].text : '');
      } else for (const frame of splitter.end()) if (frame.ok) safeReceive(frame.text, from, transport, sender);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => connections.delete(socket));
  };
  const tcp: Server = createServer((socket) => readStream(socket, socket.remoteAddress ?? 'unknown', 'tcp'));
  tcp.maxConnections = 512;
  tcp.on('error', (error) => logError('syslog TCP server error', error));
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(options.port === 0 ? 0 : options.port, options.host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });

  // RFC 5425: the sender presents a client certificate; its SHA-256 fingerprint names the source (RFC 5425 5.2). Any
  // issuer is accepted (devices' self-signed certificates), so only a registered fingerprint admits a sender.
  let tlsServer: Server | null = null;
  if (options.tls) {
    const server = createTlsServer({ cert: options.tls.cert, key: options.tls.key, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' }, (socket: TLSSocket) => {
      const address = socket.remoteAddress ?? 'unknown';
      const fingerprint = socket.getPeerCertificate()?.fingerprint256;
      const sender = fingerprint ? senders.findByCertificate(fingerprint) : undefined;
      if (!sender) {
        stats.countUnknownSender(`tls ${fingerprint ? `sha-256:${fingerprint}` : 'without a client certificate'} from ${address}`);
        socket.destroy();
        return;
      }
      readStream(socket, `${address} (sha-256:${fingerprint})`, 'tls', sender);
    });
    server.maxConnections = 512;
    server.on('tlsClientError', () => undefined); // a failed handshake ends that connection only
    server.on('error', (error) => logError('syslog TLS server error', error));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.tls?.port ?? 0, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    tlsServer = server;
  }

  const udpPort = udp.address().port;
  const tcpAddress = tcp.address();
  const tcpPort = typeof tcpAddress === 'object' && tcpAddress ? tcpAddress.port : options.port;
  stats.udpPort = udpPort;
  stats.tcpPort = tcpPort;
  const tlsAddress = tlsServer?.address();
  const tlsPort = typeof tlsAddress === 'object' && tlsAddress ? tlsAddress.port : null;
  stats.tlsPort = tlsPort;

  return {
    stats,
    udpPort,
    tcpPort,
    tlsPort,
    flush,
    async stop() {
      clearInterval(timer);
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      if (tlsServer) await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
      await flush();
    },
  };
}
