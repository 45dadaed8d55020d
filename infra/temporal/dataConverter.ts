/**
 * The engine's data converter, the same for every worker, client and replayer: the tenant payload codec
 * (infra/crypto/tenantPayloadCodec.ts) and the failure converter that encodes failure messages and stack traces
 * (./failureConverter.ts), so that neither payloads nor failures reach Temporal's database in clear.
 */
import type { DataConverter, PayloadCodec } from '@temporalio/common';

/** Loaded by path: workflow bundles alias it, clients and workers require it. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failureConverter');

export function engineDataConverter(payloadCodec?: PayloadCodec): DataConverter {
  return { ...(payloadCodec ? { payloadCodecs: [payloadCodec] } : {}), failureConverterPath: FAILURE_CONVERTER_PATH };
}
