/** The remote codec endpoint in the OpenAPI document: what the Temporal UI and CLI (`--codec-endpoint`) call. */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { codecBodySchema } from './payloadCodecEndpoint';
import { errorSchema } from '../http/schemas';
import { json, refusals } from '../http/openApiParts';

export function registerCodecPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  const headers = z.object({ 'X-Namespace': z.string().optional().meta({ description: "The Temporal namespace (the UI sends it); only the engine's own is served" }) });
  const operations = [
    ['decode', "Decrypt payloads (`binary/encrypted`) with the tenant's key; other payloads come back unchanged. Auditor and admin keys only"],
    ['encode', 'Encrypt payloads as the engine does (tenant from a marker in the JSON, else the SOC default key). Auditor and admin keys only'],
  ] as const;
  for (const [operation, summary] of operations) {
    registry.registerPath({
      method: 'post',
      path: `/v1/codec/${operation}`,
      summary,
      security,
      request: { headers, body: { required: true, content: { 'application/json': { schema: codecBodySchema } } } },
      responses: {
        200: json(codecBodySchema, 'The payloads, in the same order'),
        400: refusals[400],
        401: refusals[401],
        403: json(errorSchema, 'Not an auditor or admin key, or (preflight) an origin other than SOAR_CODEC_CORS_ORIGIN'),
        422: json(errorSchema, 'A payload names a key id that is not available (deleted: crypto-shredded) or fails authentication; the message names the key id'),
      },
    });
  }
}
