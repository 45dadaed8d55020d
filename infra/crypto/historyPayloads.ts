/**
 * The payloads inside a stored Temporal history (activity inputs and results, workflow input and result, Update
 * arguments, signals, memo, failure details): decoded through a codec for auditors, or listed with their key ids.
 * Search attributes are never codec-encoded, so they pass through as they are.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { keyIdOfPayload } from './tenantPayloadCodec';

type History = temporal.api.history.v1.IHistory;

function isPayload(value: object): value is Payload {
  const metadata = (value as { metadata?: unknown }).metadata;
  return typeof metadata === 'object' && metadata !== null && (metadata as Record<string, unknown>)['encoding'] instanceof Uint8Array;
}

/** Never codec-encoded by the SDK: search attributes stay queryable, headers carry no alert content. */
const NOT_ENCODED = new Set(['searchAttributes', 'header']);

/** The SDK's `patched()` markers: the core writes them itself, holding only the patch id (a constant of this code). */
const isPatchMarker = (value: object) => (value as { markerName?: unknown }).markerName === 'core_patch';

/**
 * A local activity's marker (package 1, docs/performance.md): the core writes its `data` detail itself (activity type,
 * attempt, times: no alert content); the `result` detail and a failure are the activity's, encoded like any payload.
 */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** Every payload object in a proto message tree that a codec encodes, in document order. */
export function payloadsIn(root: unknown): Payload[] {
  const found: Payload[] = [];
  const walk = (value: unknown) => {
    if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return;
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (isPayload(value)) {
      found.push(value);
      return;
    }
    if (isPatchMarker(value)) return;
    const marker = value as { markerName?: unknown; details?: Record<string, unknown>; failure?: unknown };
    if (marker.markerName === LOCAL_ACTIVITY_MARKER) {
      walk(marker.details?.['result']);
      walk(marker.failure);
      return;
    }
    for (const key of Object.keys(value)) if (!NOT_ENCODED.has(key)) walk((value as Record<string, unknown>)[key]);
  };
  walk(root);
  return found;
}

type Failure = temporal.api.failure.v1.IFailure;

/**
 * Failures whose message and stack trace were encoded (infra/temporal/failureConverter.ts): once their
 * `encodedAttributes` payload is decoded, the message and stack trace are put back where an auditor reads them.
 */
function restoreFailureTexts(root: unknown): void {
  if (typeof root !== 'object' || root === null || root instanceof Uint8Array) return;
  if (Array.isArray(root)) {
    root.forEach(restoreFailureTexts);
    return;
  }
  const failure = root as Failure;
  const attributes = failure.encodedAttributes;
  if (attributes && isPayload(attributes) && new TextDecoder().decode(attributes.metadata?.['encoding'] ?? new Uint8Array()) === 'json/plain') {
    try {
      const { message, stack_trace } = JSON.parse(new TextDecoder().decode(attributes.data ?? new Uint8Array())) as { message?: unknown; stack_trace?: unknown };
      if (typeof message === 'string') failure.message = message;
      if (typeof stack_trace === 'string') failure.stackTrace = stack_trace;
    } catch {
      // Not the SDK's shape: the failure stays as it was stored.
    }
  }
  for (const value of Object.values(root)) restoreFailureTexts(value);
}

/** Decodes every payload of a proto tree in place and puts encoded failure texts back. */
async function decodeInPlace(tree: object, codecs: readonly PayloadCodec[]): Promise<void> {
  const payloads = payloadsIn(tree);
  let decoded = payloads;
  // Codecs encode in order, so they decode in reverse (the engine has one).
  for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
  payloads.forEach((payload, index) => {
    const plain = decoded[index];
    if (plain && plain !== payload) {
      payload.metadata = plain.metadata;
      payload.data = plain.data;
    }
  });
  restoreFailureTexts(tree);
}

/** A copy of the history with every payload decoded (and encoded failure texts restored); the history itself is left as it was. */
export async function decodeHistory(history: History, codec: PayloadCodec): Promise<History> {
  const copy = temporal.api.history.v1.History.decode(temporal.api.history.v1.History.encode(history).finish());
  await decodeInPlace(copy, [codec]);
  return copy;
}

/** A copy of a failure (a pending activity's last failure, a failed workflow's) with its message and stack trace readable. */
export async function readableFailure(failure: Failure | null | undefined, codecs: readonly PayloadCodec[]): Promise<Failure | null | undefined> {
  if (!failure) return failure;
  const copy = temporal.api.failure.v1.Failure.decode(temporal.api.failure.v1.Failure.encode(failure).finish());
  await decodeInPlace(copy, codecs);
  return copy;
}

/** How many payloads of a history each key id encrypted; `plain` counts those not encrypted. */
export function keyIdsOf(history: History): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const payload of payloadsIn(history)) {
    const keyId = keyIdOfPayload(payload) ?? 'plain';
    counts[keyId] = (counts[keyId] ?? 0) + 1;
  }
  return counts;
}
