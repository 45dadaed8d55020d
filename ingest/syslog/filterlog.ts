/** OPNsense and pfSense `filterlog` lines: the packet filter's CSV format, per IP version and protocol, into raw fields. */
import type { RawEvent } from '../../detection/eventMapping';

const COMMON = ['rulenr', 'subrulenr', 'anchorname', 'label', 'interface', 'reason', 'action', 'dir', 'ipversion'] as const;
const IPV4 = ['tos', 'ecn', 'ttl', 'id', 'offset', 'flags', 'protonum', 'protoname', 'length', 'src', 'dst'] as const;
const IPV6 = ['class', 'flowlabel', 'hoplimit', 'protoname', 'protonum', 'length', 'src', 'dst'] as const;
const TCP = ['srcport', 'dstport', 'datalen', 'tcpflags', 'seq', 'ack', 'window', 'urg', 'options'] as const;
const UDP = ['srcport', 'dstport', 'datalen'] as const;

export type FilterlogParse = { ok: true; fields: RawEvent } | { ok: false; reason: string };

export function parseFilterlog(line: string): FilterlogParse {
  const values = line.trim().split(',');
  if (values.length < COMMON.length + IPV6.length) return { ok: false, reason: `filterlog: ${values.length} fields, too few for a packet line` };
  const fields: Record<string, string> = {};
  let at = 0;
  const take = (names: readonly string[]) => {
    for (const name of names) {
      const value = values[at++];
      if (value !== undefined && value !== '') fields[name] = value;
    }
  };
  take(COMMON);
  if (!/^\d+$/.test(fields.rulenr ?? '')) return { ok: false, reason: 'filterlog: the rule number is not a number' };
  if (fields.dir !== 'in' && fields.dir !== 'out') return { ok: false, reason: `filterlog: direction '${fields.dir ?? ''}' is neither in nor out` };
  if (fields.ipversion === '4') take(IPV4);
  else if (fields.ipversion === '6') take(IPV6);
  else return { ok: false, reason: `filterlog: IP version '${fields.ipversion ?? ''}' is neither 4 nor 6` };
  if (fields.src === undefined || fields.dst === undefined) return { ok: false, reason: 'filterlog: the line names no source or destination address' };
  const protocol = (fields.protoname ?? '').toLowerCase();
  if (protocol === 'tcp') take(TCP);
  else if (protocol === 'udp') take(UDP);
  if (at < values.length) fields.proto_data = values.slice(at).join(',');
  return { ok: true, fields };
}
