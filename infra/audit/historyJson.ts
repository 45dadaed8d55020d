/**
 * History <-> the JSON `temporal workflow show -o json` prints. The SDK's `historyToJSON`/`historyFromJSON`
 * (@temporalio/common/lib/proto-utils) fail in this install with "type must be a Type": npm gives
 * @temporalio/common and @temporalio/proto separate copies of protobufjs 8 (grpc's proto-loader keeps protobufjs 7
 * at the top), and protobufjs checks `instanceof Type`. The same conversion is done here with the protobufjs copy
 * that @temporalio/proto itself loaded, so the types match.
 */
import { createRequire } from 'node:module';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

export type History = proto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

const protojson = createRequire(require.resolve('@temporalio/proto'))('protobufjs/ext/protojson') as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

/** The history as a plain JSON value, exactly as `temporal workflow show -o json` prints it. */
export function historyToJson(history: History): unknown {
  return protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history));
}

/** A history from its JSON; also accepts the older JSON with PascalCase enum names, as the SDK does. */
export function historyFromJson(json: unknown): History {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { events?: unknown }).events)) {
    throw new TypeError('Invalid history, expected an object with an array of events');
  }
  const events = (json as { events: Record<string, unknown>[] }).events.map(fixEvent);
  return protojson.fromJson(historyType, { ...json, events }, { ignoreUnknownFields: true }) as History;
}

const constantCase = (s: string) => s.replace(/[^\b][A-Z]/g, (m) => `${m[0]}_${m[1]}`).toUpperCase();

function fixEnum(obj: Record<string, unknown>, attr: string, prefix: string): Record<string, unknown> {
  const value = obj[attr];
  return typeof value === 'string' ? { [attr]: value.startsWith(prefix) ? value : `${prefix}_${constantCase(value)}` } : {};
}

function fixEvent(event: Record<string, unknown>): Record<string, unknown> {
  const key = Object.keys(event).find((k) => k.endsWith('EventAttributes'));
  if (!key) throw new TypeError(`Missing attributes in history event ${String(event['eventId'])}`);
  const attributes = (event[key] ?? {}) as Record<string, unknown>;
  const taskQueue = attributes['taskQueue'] as Record<string, unknown> | undefined;
  return {
    ...event,
    ...fixEnum(event, 'eventType', 'EVENT_TYPE'),
    [key]: {
      ...attributes,
      ...(taskQueue ? { taskQueue: { ...taskQueue, ...fixEnum(taskQueue, 'kind', 'TASK_QUEUE_KIND') } } : {}),
      ...fixEnum(attributes, 'parentClosePolicy', 'PARENT_CLOSE_POLICY'),
      ...fixEnum(attributes, 'workflowIdReusePolicy', 'WORKFLOW_ID_REUSE_POLICY'),
      ...fixEnum(attributes, 'initiator', 'CONTINUE_AS_NEW_INITIATOR'),
      ...fixEnum(attributes, 'retryState', 'RETRY_STATE'),
    },
  };
}
