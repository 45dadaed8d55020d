/** The syslog listener's counters, its unknown senders and a bounded ring of the latest unparseable lines, for inspection. */

export type SyslogTransport = 'udp' | 'tcp' | 'tls';

export interface UnparseableLine {
  at: string;
  from: string;
  transport: SyslogTransport;
  reason: string;
  /** The line as received, cut at 2,048 characters. */
  line: string;
}

export interface SyslogStatsSnapshot {
  enabled: boolean;
  udpPort: number | null;
  tcpPort: number | null;
  /** Syslog over TLS (RFC 5425); null when not configured. */
  tlsPort: number | null;
  received: number;
  accepted: number;
  ignored: number;
  unknownSender: number;
  unparseable: number;
  refused: number;
  dispatchFailed: number;
  unknownSenders: { address: string; count: number; lastAt: string }[];
  recentUnparseable: UnparseableLine[];
}

const MAX_LINE = 2048;
const MAX_UNKNOWN_SENDERS = 100;

export class SyslogStats {
  udpPort: number | null = null;
  tcpPort: number | null = null;
  tlsPort: number | null = null;
  received = 0;
  /** Events evaluated against the rules. */
  accepted = 0;
  /** Well-formed syslog the engine does not read (another daemon of the firewall, a source kind without a parser). */
  ignored = 0;
  unknownSender = 0;
  unparseable = 0;
  /** Parsed events whose fields the source's mapping refuses (a field of the wrong type). */
  refused = 0;
  /** Hits that could not be handed to their incident (the workflow service was unreachable, retries spent). */
  dispatchFailed = 0;
  private readonly unknown = new Map<string, { count: number; lastAt: string }>();
  private readonly ring: UnparseableLine[] = [];
  private next = 0;

  constructor(
    private readonly ringSize = 200,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** R1: a sender that is no registered source of any tenant is refused, and counted by address. */
  countUnknownSender(address: string): void {
    this.unknownSender += 1;
    const entry = this.unknown.get(address);
    if (entry) {
      entry.count += 1;
      entry.lastAt = this.now().toISOString();
    } else if (this.unknown.size < MAX_UNKNOWN_SENDERS) this.unknown.set(address, { count: 1, lastAt: this.now().toISOString() });
  }

  /** Counts the line and keeps it in the ring (the oldest is dropped when the ring is full). */
  keepUnparseable(from: string, transport: SyslogTransport, reason: string, line: string, counter: 'unparseable' | 'refused' = 'unparseable'): void {
    this[counter] += 1;
    const entry = { at: this.now().toISOString(), from, transport, reason, line: line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line };
    if (this.ring.length < this.ringSize) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.ringSize;
  }

  snapshot(): SyslogStatsSnapshot {
    const ordered = this.ring.length < this.ringSize ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return {
      enabled: true,
      udpPort: this.udpPort,
      tcpPort: this.tcpPort,
      tlsPort: this.tlsPort,
      received: this.received,
      accepted: this.accepted,
      ignored: this.ignored,
      unknownSender: this.unknownSender,
      unparseable: this.unparseable,
      refused: this.refused,
      dispatchFailed: this.dispatchFailed,
      unknownSenders: [...this.unknown].map(([address, e]) => ({ address, ...e })),
      recentUnparseable: ordered.reverse(),
    };
  }
}
