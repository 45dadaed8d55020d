/**
 * Reads a batch of events from the request stream as it arrives, never buffering the whole body: NDJSON line by
 * line, or a JSON array (`[...]` or `{"events": [...]}`) element by element. Each event is handed on at once.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/** Thrown when the body is over the limit or not well-formed; `type` and `status` are body-parser's, so the one error mapping answers 413 or 400. */
export class BodyStreamError extends Error {
  constructor(
    readonly type: 'entity.too.large' | 'entity.parse.failed',
    readonly status: 413 | 400,
    message: string,
  ) {
    super(message);
  }
}

export interface EventSink {
  /** A parsed JSON value at `line` (NDJSON: the line number; JSON: the element's position), 1-based. */
  event(value: unknown, line: number): void;
  /** An element that cannot be taken (an NDJSON line that is not JSON, an element over the size limit). */
  refuse(line: number, field: string, reason: string): void;
}

export interface StreamLimits {
  bodyBytes: number;
  /** One event's text; larger events are refused (and skipped), the stream goes on. */
  eventChars: number;
}

async function* chunksOf(stream: Readable, limits: StreamLimits): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buffer.length;
    if (bytes > limits.bodyBytes) throw new BodyStreamError('entity.too.large', 413, 'The request body is larger than the configured limit');
    yield decoder.write(buffer);
  }
  yield decoder.end();
}

/** NDJSON: one JSON value per line; blank lines are skipped; a line that is not JSON is refused, the rest goes on. */
export async function readNdjson(stream: Readable, limits: StreamLimits, sink: EventSink): Promise<void> {
  let line = 0;
  let pending = '';
  let oversize = false;
  const finish = (text: string) => {
    line += 1;
    if (oversize) {
      oversize = false;
      return sink.refuse(line, '(event)', `the line is longer than ${limits.eventChars} characters`);
    }
    const trimmed = text.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      return sink.refuse(line, '(event)', `not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    sink.event(value, line);
  };
  for await (const chunk of chunksOf(stream, limits)) {
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', start)) {
      finish(pending + chunk.slice(start, newline));
      pending = '';
      start = newline + 1;
    }
    if (!oversize) pending += chunk.slice(start);
    if (pending.length > limits.eventChars) {
      oversize = true;
      pending = '';
    }
  }
  if (pending !== '' || oversize) finish(pending);
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * A JSON batch: `[event, ...]` or `{"events": [event, ...]}` (no other key). Elements are split by a small scanner
 * that follows strings and nesting, then parsed one by one. A body that is not well-formed JSON is refused whole.
 */
export async function readJsonBatch(stream: Readable, limits: StreamLimits, sink: EventSink): Promise<void> {
  const malformed = (why: string) => new BodyStreamError('entity.parse.failed', 400, why);
  type Phase = 'start' | 'key' | 'colon' | 'open' | 'element' | 'after' | 'close' | 'end';
  let phase = 'start' as Phase;
  let wrapped = false;
  let key = '';
  let index = 0;
  let parts: string[] = [];
  let size = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let oversize = false;

  const endElement = () => {
    index += 1;
    if (oversize) {
      oversize = false;
      sink.refuse(index, '(event)', `the event is longer than ${limits.eventChars} characters`);
    } else {
      let value: unknown;
      try {
        value = JSON.parse(parts.join(''));
      } catch (error) {
        throw malformed(`The body is not valid JSON (event ${index}): ${error instanceof Error ? error.message : String(error)}`);
      }
      sink.event(value, index);
    }
    parts = [];
    size = 0;
  };

  for await (const chunk of chunksOf(stream, limits)) {
    let elementStart = phase === 'element' ? 0 : -1;
    for (let i = 0; i < chunk.length; i += 1) {
      const c = chunk.charAt(i);
      if (phase === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth += 1;
        else if ((c === '}' || c === ']') && depth > 0) depth -= 1;
        else if (depth === 0 && (c === ',' || c === ']')) {
          const text = oversize ? 'x' : parts.join('') + chunk.slice(elementStart, i);
          if (text.length > limits.eventChars) oversize = true;
          if (text.trim() === '') {
            // `[]` is an empty batch; `[1,,2]` or a trailing comma is not JSON.
            if (c !== ']' || index > 0) throw malformed(`The body is not valid JSON: an empty element after event ${index}`);
          } else {
            parts = [text];
            endElement();
          }
          phase = c === ',' ? 'element' : wrapped ? 'close' : 'end';
          elementStart = i + 1;
        }
        continue;
      }
      if (phase === 'key') {
        if (c === '"') {
          if (key !== 'events') throw malformed(`unknown key '${key}': a JSON batch is an array of events or {"events": [...]}`);
          phase = 'colon';
        } else key += c;
        continue;
      }
      if (WHITESPACE.has(c)) continue;
      if ((phase === 'start' || phase === 'open') && c === '[' && (phase === 'open' || !wrapped)) {
        phase = 'element';
        elementStart = i + 1;
        depth = 0;
        parts = [];
        size = 0;
      } else if (phase === 'start' && c === '{') {
        wrapped = true;
        phase = 'after';
      } else if (phase === 'after' && c === '"') {
        key = '';
        phase = 'key';
      } else if (phase === 'colon' && c === ':') {
        phase = 'open';
      } else if (phase === 'close' && c === '}') phase = 'end';
      else throw malformed(`The body is not a JSON array of events or {"events": [...]} (unexpected '${c}')`);
    }
    if (phase === 'element' && elementStart >= 0 && !oversize) {
      const rest = chunk.slice(elementStart);
      size += rest.length;
      if (size > limits.eventChars) {
        oversize = true;
        parts = [];
      } else parts.push(rest);
    }
  }
  if (phase !== 'end') throw malformed('The body ends before the JSON batch is complete');
}
