/**
 * Field mappings of raw events onto Sigma field names (one YAML file per logsource product in detection/mappings/),
 * validated at start-up, and applied per event: renames, value maps and type checks, as a pySigma processing
 * pipeline would map fields for a backend.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { lineOfPath } from '../domain/tenant/yamlLocation';
import { SOURCE_KINDS, type SourceKind } from '../domain/tenant/sourceSchema';
import { formatKeyPath, RuleFileError } from './sigma/ruleFileError';
import type { SigmaEvent, SigmaLogsource, SigmaScalar } from './sigma/sigmaEvent';

const FIELD_TYPES = ['ip', 'port', 'integer', 'text'] as const;
const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/, 'a field name: letters, digits, _ . -');

const fieldMappingSchema = z.strictObject({
  from: z.union([fieldName, z.array(fieldName).min(1)]),
  type: z.enum(FIELD_TYPES).optional(),
  required: z.boolean().optional(),
  values: z.record(z.string(), z.string()).optional(),
});

export const mappingFileSchema = z.strictObject({
  product: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'a Sigma logsource product such as opnsense'),
  category: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'a Sigma logsource category such as firewall'),
  service: z.string().regex(/^[a-z0-9_-]{1,64}$/).optional(),
  sourceKinds: z.array(z.enum(SOURCE_KINDS)).min(1),
  entity: z.array(fieldName).min(1).default(['src_ip', 'user', 'host']),
  fields: z.record(fieldName, fieldMappingSchema),
});

/** Why a raw event was refused, naming the raw field (or `(event)`). */
export interface EventRefusal {
  field: string;
  reason: string;
}

/** A raw event mapped onto Sigma fields, with the logsource rules are selected by. */
export interface MappedEvent {
  event: SigmaEvent;
  logsource: SigmaLogsource;
}

export type RawValue = SigmaScalar | readonly SigmaScalar[];
export type RawEvent = Readonly<Record<string, RawValue>>;

interface CompiledField {
  target: string;
  from: readonly string[];
  type: (typeof FIELD_TYPES)[number] | undefined;
  required: boolean;
  values: ReadonlyMap<string, string> | undefined;
}

/** One mapping file, compiled. */
export class EventMapping {
  readonly logsource: Readonly<SigmaLogsource>;
  readonly entityFields: readonly string[];
  private readonly fields: readonly CompiledField[];
  private readonly consumed: ReadonlySet<string>;

  constructor(
    readonly file: string,
    definition: z.output<typeof mappingFileSchema>,
  ) {
    this.logsource = Object.freeze({ product: definition.product, category: definition.category, ...(definition.service ? { service: definition.service } : {}) });
    this.entityFields = definition.entity;
    this.fields = Object.entries(definition.fields).map(([target, spec]) => ({
      target,
      from: typeof spec.from === 'string' ? [spec.from] : spec.from,
      type: spec.type,
      required: spec.required ?? false,
      values: spec.values ? new Map(Object.entries(spec.values).map(([k, v]) => [k.toLowerCase(), v])) : undefined,
    }));
    this.consumed = new Set(this.fields.flatMap((f) => f.from));
  }

  /** The Sigma event, or the first refusal (raw field and reason). Empty strings count as absent. */
  map(raw: RawEvent): MappedEvent | { refused: EventRefusal } {
    const event: Record<string, RawValue> = {};
    for (const [name, value] of Object.entries(raw)) if (!this.consumed.has(name) && !isEmpty(value)) event[name] = value;
    for (const field of this.fields) {
      const source = field.from.find((name) => Object.hasOwn(raw, name) && !isEmpty(raw[name]));
      if (source === undefined) {
        if (field.required) return { refused: { field: field.from[0] ?? field.target, reason: `required for ${field.target}, missing` } };
        continue;
      }
      const value = raw[source] as RawValue;
      const converted = convert(value, field);
      if (typeof converted === 'string') return { refused: { field: source, reason: converted } };
      event[field.target] = converted.value;
    }
    return { event, logsource: this.logsource };
  }
}

function isEmpty(value: RawValue | undefined): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** The converted value, or the reason it does not fit. */
function convert(value: RawValue, field: CompiledField): { value: RawValue } | string {
  if (Array.isArray(value)) {
    const out: SigmaScalar[] = [];
    for (const item of value as readonly SigmaScalar[]) {
      const one = convertOne(item, field);
      if (typeof one === 'string') return one;
      out.push(one.value);
    }
    return { value: out };
  }
  return convertOne(value as SigmaScalar, field);
}

function convertOne(value: SigmaScalar, field: CompiledField): { value: SigmaScalar } | string {
  let v = value;
  if (field.values && v !== null) v = field.values.get(String(v).toLowerCase()) ?? v;
  switch (field.type) {
    case undefined:
    case 'text':
      return { value: v };
    case 'ip': {
      const text = typeof v === 'string' ? v.trim() : '';
      if (!ipaddr.isValid(text) || (ipaddr.IPv4.isValid(text) && !ipaddr.IPv4.isValidFourPartDecimal(text))) return `not an IP address: ${preview(v)}`;
      return { value: text };
    }
    case 'port':
    case 'integer': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{1,15}\s*$/.test(v) ? Number(v) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < 0) return `not ${field.type === 'port' ? 'a port number' : 'an integer'}: ${preview(v)}`;
      if (field.type === 'port' && n > 65535) return `not a port number (0-65535): ${n}`;
      return { value: n };
    }
  }
}

function preview(value: SigmaScalar): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Every mapping, by the source kind whose events it maps. */
export class EventMappings {
  private readonly byKind: ReadonlyMap<SourceKind, EventMapping>;

  constructor(readonly mappings: readonly EventMapping[], kinds: ReadonlyMap<SourceKind, EventMapping>) {
    this.byKind = kinds;
  }

  forKind(kind: SourceKind): EventMapping | undefined {
    return this.byKind.get(kind);
  }
}

/** Validates mapping texts; the first invalid file throws `RuleFileError` (file, line, key path, reason). */
export function compileMappings(sources: readonly { file: string; text: string }[]): EventMappings {
  const byKind = new Map<SourceKind, EventMapping>();
  const mappings = sources.map(({ file, text }) => {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const [syntax] = doc.errors;
    if (syntax) throw new RuleFileError(file, `YAML syntax error: ${syntax.message.split('\n')[0]}`, { line: lineCounter.linePos(syntax.pos[0]).line });
    const result = mappingFileSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
    if (!result.success) {
      const issue = result.error.issues[0];
      const path = [...(issue?.path ?? []), ...(issue?.code === 'unrecognized_keys' ? [issue.keys[0] ?? ''] : [])];
      throw new RuleFileError(file, issue?.message ?? 'invalid mapping', { line: lineOfPath(doc, lineCounter, path), path: formatKeyPath(path) });
    }
    const mapping = new EventMapping(file, result.data);
    result.data.sourceKinds.forEach((kind, index) => {
      const other = byKind.get(kind);
      if (other) throw new RuleFileError(file, `source kind ${kind} is already mapped by ${other.file}`, { line: lineOfPath(doc, lineCounter, ['sourceKinds', index]), path: `sourceKinds[${index}]` });
      byKind.set(kind, mapping);
    });
    return mapping;
  });
  return new EventMappings(mappings, byKind);
}

/** Loads every `*.yml`/`*.yaml` of `dir` (not recursive, in name order). */
export function loadMappings(dir: string): EventMappings {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /\.ya?ml$/i.test(name)).sort();
  } catch {
    throw new RuleFileError(dir, 'the mappings folder cannot be read');
  }
  try {
    return compileMappings(names.map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') })));
  } catch (error) {
    if (!(error instanceof RuleFileError)) throw error;
    throw new RuleFileError(join(dir, error.file), error.reason, { line: error.line, path: error.path });
  }
}
