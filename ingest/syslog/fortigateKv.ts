/** FortiGate (FortiOS) log lines: space-separated `key=value` pairs, values optionally double-quoted. */
import type { RawEvent } from '../../detection/eventMapping';

const PAIR = /\s*([A-Za-z0-9_]{1,64})=(?:"((?:[^"\\]|\\.)*)"|([^\s"]*))/y;

export type KvParse = { ok: true; fields: RawEvent; time: Date | undefined } | { ok: false; reason: string };

export function parseFortigateKv(line: string): KvParse {
  const fields: Record<string, string> = {};
  PAIR.lastIndex = 0;
  const text = line.trimEnd();
  let count = 0;
  while (PAIR.lastIndex < text.length) {
    const at = PAIR.lastIndex;
    const match = PAIR.exec(text);
    if (!match) return { ok: false, reason: `key=value: cannot read at character ${at + 1}` };
    const [, key = '', quoted, plain] = match;
    fields[key] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (plain ?? '');
    count += 1;
  }
  if (count < 3 || (fields.logid === undefined && fields.type === undefined)) return { ok: false, reason: 'key=value: not a FortiGate log line (no logid or type)' };
  return { ok: true, fields, time: timeOf(fields) };
}

/** `date` and `time` with `tz` (+0200) as FortiOS writes them; without a zone the time of receipt stands in. */
function timeOf(fields: Record<string, string>): Date | undefined {
  const { date, time, tz } = fields;
  if (!date || !time || !tz || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}:\d{2}$/.test(time)) return undefined;
  const zone = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (!zone) return undefined;
  const parsed = new Date(`${date}T${time}${zone[1]}${zone[2]}:${zone[3]}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
