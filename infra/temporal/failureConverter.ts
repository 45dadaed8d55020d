/**
 * The failure converter of every worker, workflow bundle, client and replayer (loaded by path: `failureConverterPath`).
 * Failure messages and stack traces name hosts and accounts (a vendor's refusal, an unreachable machine), and Temporal
 * stores them in clear. With `encodeCommonAttributes` the SDK moves both into one payload (`encodedAttributes`) that the
 * payload codec encrypts under the tenant's key; the stored failure says only "Encoded failure". Any default failure
 * converter reads such a failure back through the codec, and failures recorded before this still read as they were.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
