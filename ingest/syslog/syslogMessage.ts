/**
 * A strict syslog header parser: RFC 5424, BSD (RFC 3164) and the bare `<PRI>message` FortiGate sends by default.
 * Written here rather than taken from npm: the maintained parsers found (nsyslog-parser, glossy, syslog-parse)
 * accept almost any text as a message, and this listener must tell an unparseable line apart to count and keep it.
 */

export type SyslogFormat = 'rfc5424' | 'rfc3164' | 'bare';

export interface SyslogMessage {
  format: SyslogFormat;
  facility: number;
  severity: number;
  /** RFC 5424 timestamps only: BSD timestamps have neither year nor zone, so the time of receipt stands in. */
  timestamp: Date | undefined;
  hostname: string | undefined;
  appName: string | undefined;
  procId: string | undefined;
  msgId: string | undefined;
  /** RFC 5424 structured data as sent (`-` when none). */
  structuredData: string | undefined;
  message: string;
}

export type SyslogParse = { ok: true; message: SyslogMessage } | { ok: false; reason: string };

const PRI = /^<(\d{1,3})>/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;
const HEADER_FIELD = /^[\x21-\x7e]+$/;
const BSD_TIMESTAMP = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ( \d|\d{2}) \d{2}:\d{2}:\d{2} /;
const BSD_TAG = /^([A-Za-z0-9_./-]{1,48})(?:\[([^\]\s]{1,128})\])?: ?/;

function fail(reason: string): SyslogParse {
  return { ok: false, reason };
}

export function parseSyslog(text: string): SyslogParse {
  const line = text.replace(/[\r\n\0]+$/, '');
  const pri = PRI.exec(line);
  if (!pri) return fail('no <PRI> at the start (not syslog)');
  const value = Number(pri[1]);
  if (value > 191 || (pri[1] as string).length > 1 && (pri[1] as string).startsWith('0')) return fail(`invalid PRI <${pri[1]}>`);
  const base = { facility: Math.floor(value / 8), severity: value % 8 };
  const rest = line.slice(pri[0].length);
  if (/^[1-9]\d? /.test(rest)) return parse5424(rest, base);
  if (BSD_TIMESTAMP.test(rest)) return parse3164(rest, base);
  if (rest.trim() === '') return fail('empty message');
  return { ok: true, message: { ...base, format: 'bare', timestamp: undefined, hostname: undefined, appName: undefined, procId: undefined, msgId: undefined, structuredData: undefined, message: rest } };
}

function parse5424(rest: string, base: { facility: number; severity: number }): SyslogParse {
  const parts: string[] = [];
  let position = 0;
  // VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, each followed by one space.
  for (let i = 0; i < 6; i += 1) {
    const space = rest.indexOf(' ', position);
    if (space < 0) return fail('RFC 5424 header is incomplete');
    parts.push(rest.slice(position, space));
    position = space + 1;
  }
  const [version, timestamp = '', hostname = '', appName = '', procId = '', msgId = ''] = parts;
  if (version !== '1') return fail(`unsupported RFC 5424 version ${version}`);
  if (timestamp !== '-' && !RFC3339.test(timestamp)) return fail(`RFC 5424 timestamp is not RFC 3339: ${timestamp.slice(0, 40)}`);
  for (const [name, field, max] of [['HOSTNAME', hostname, 255], ['APP-NAME', appName, 48], ['PROCID', procId, 128], ['MSGID', msgId, 32]] as const) {
    if (field.length === 0 || field.length > max || !HEADER_FIELD.test(field)) return fail(`RFC 5424 ${name} is not 1-${max} printable characters`);
  }
  const sd = structuredDataEnd(rest, position);
  if (typeof sd === 'string') return fail(sd);
  let message = rest.slice(sd);
  if (message.startsWith(' ')) message = message.slice(1);
  else if (message !== '') return fail('RFC 5424 structured data is not followed by a space');
  if (message.startsWith('\ufeff')) message = message.slice(1);
  const time = timestamp === '-' ? undefined : new Date(timestamp);
  if (time && Number.isNaN(time.getTime())) return fail(`RFC 5424 timestamp is not a date: ${timestamp}`);
  const nil = (v: string) => (v === '-' ? undefined : v);
  return {
    ok: true,
    message: { ...base, format: 'rfc5424', timestamp: time, hostname: nil(hostname), appName: nil(appName), procId: nil(procId), msgId: nil(msgId), structuredData: rest.slice(position, sd), message },
  };
}

/** Where the structured data starting at `start` ends (`-`, or `[...]` elements with escaped `"`, `\` and `]` in values). */
function structuredDataEnd(text: string, start: number): number | string {
  if (text.charAt(start) === '-') return start + 1;
  if (text.charAt(start) !== '[') return 'RFC 5424 structured data is neither - nor [...]';
  let i = start;
  while (text.charAt(i) === '[') {
    let inValue = false;
    i += 1;
    for (;;) {
      if (i >= text.length) return 'RFC 5424 structured data is not closed';
      const c = text.charAt(i);
      if (inValue && c === '\\') i += 2;
      else {
        if (c === '"') inValue = !inValue;
        i += 1;
        if (c === ']' && !inValue) break;
      }
    }
  }
  return i;
}

function parse3164(rest: string, base: { facility: number; severity: number }): SyslogParse {
  let body = rest.slice(16);
  let hostname: string | undefined;
  // HOSTNAME is optional in practice (pfSense leaves it out): a first word that is itself a TAG: is no hostname.
  const first = /^(\S+) /.exec(body);
  if (first && !BSD_TAG.test(body) ) {
    hostname = first[1];
    body = body.slice(first[0].length);
  }
  const tag = BSD_TAG.exec(body);
  const message = tag ? body.slice(tag[0].length) : body;
  return {
    ok: true,
    message: { ...base, format: 'rfc3164', timestamp: undefined, hostname, appName: tag?.[1], procId: tag?.[2], msgId: undefined, structuredData: undefined, message },
  };
}
