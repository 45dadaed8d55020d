/**
 * The Temporal "remote codec" for the UI and the CLI (`--codec-endpoint`): decodes (and encodes) payloads with the
 * engine's codec, for auditor and admin keys only. Every decode is logged with who asked and how many payloads.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { may, type Principal } from '../../domain/access/roles';
import { ForbiddenError, InvalidInputError } from '../../domain/refusals';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
/** A payload as the Temporal UI and CLI send it: protobuf JSON, bytes as base64. */
export const codecPayloadSchema = z
  .strictObject({ metadata: z.record(z.string(), base64).default({}), data: base64.default('') })
  .meta({ id: 'CodecPayload', description: 'A Temporal Payload in protobuf JSON: metadata values and data base64' });
export const codecBodySchema = z.strictObject({ payloads: z.array(codecPayloadSchema) }).meta({ id: 'CodecPayloads' });
export type CodecBody = z.infer<typeof codecBodySchema>;

export interface PayloadCodecEndpointDeps {
  codec: PayloadCodec;
  /** The engine's namespace: a request naming another (`X-Namespace`) is refused, its keys are not here. */
  namespace: string;
  /** Accountability for reads of personal data: who decoded how many payloads. */
  record: (fields: { operation: 'decode' | 'encode'; keyId: string; role: string; payloads: number }) => void;
}

export class PayloadCodecEndpoint {
  constructor(private readonly deps: PayloadCodecEndpointDeps) {}

  decode(principal: Principal, namespace: string | undefined, body: CodecBody): Promise<CodecBody> {
    return this.run('decode', principal, namespace, body);
  }

  encode(principal: Principal, namespace: string | undefined, body: CodecBody): Promise<CodecBody> {
    return this.run('encode', principal, namespace, body);
  }

  private async run(operation: 'decode' | 'encode', principal: Principal, namespace: string | undefined, body: CodecBody): Promise<CodecBody> {
    if (!may(principal, 'decodePayloads')) throw new ForbiddenError(`Role '${principal.role}' may not use the payload codec (auditor and admin only)`);
    if (namespace !== undefined && namespace !== this.deps.namespace) {
      throw new InvalidInputError([{ field: '(header) X-Namespace', message: `this codec serves namespace '${this.deps.namespace}', not '${namespace}'` }]);
    }
    const payloads: Payload[] = body.payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      data: Buffer.from(p.data, 'base64'),
    }));
    const result = operation === 'decode' ? await this.deps.codec.decode(payloads) : await this.deps.codec.encode(payloads);
    this.deps.record({ operation, keyId: principal.keyId, role: principal.role, payloads: payloads.length });
    return {
      payloads: result.map((p) => ({
        metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
        data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
      })),
    };
  }
}
