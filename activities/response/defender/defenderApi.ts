/** The Defender for Endpoint REST API with Node's fetch and an app token for its scope: machines and MachineActions, parsed with zod. */
import type { TokenCredential } from '@azure/identity';
import type { Tracer } from '@opentelemetry/api';
import { z } from 'zod';
import { refused } from '../failures';
import { entraCredential, tokenFailure, type ResponseDeps } from '../tenantAccess';
import { parseAnswer, vendorFailure, vendorFetch, vendorMessage, type VendorAnswer } from '../vendorHttp';

export const DEFENDER_SCOPE = 'https://api.securitycenter.microsoft.com/.default';
const DEFAULT_TIMEOUT_MS = 30_000;

export const MACHINE_ACTION_STATUSES = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'] as const;
export const machineActionSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  status: z.enum(MACHINE_ACTION_STATUSES),
  machineId: z.string().nullable().optional(),
  computerDnsName: z.string().nullable().optional(),
  creationDateTimeUtc: z.string().nullable().optional(),
  lastUpdateDateTimeUtc: z.string().nullable().optional(),
});
export type MachineAction = z.output<typeof machineActionSchema>;

export const machineSchema = z.object({
  id: z.string().min(1),
  computerDnsName: z.string().nullable().optional(),
  machineTags: z.array(z.string()).nullable().optional(),
  rbacGroupName: z.string().nullable().optional(),
  lastSeen: z.string().nullable().optional(),
});
export type Machine = z.output<typeof machineSchema>;

const listOf = <T extends z.ZodType>(item: T) => z.object({ value: z.array(item) });

/** The answer to a MachineAction request: the started action, or the vendor's "Action is already in progress". */
export type Submitted = { kind: 'started'; action: MachineAction } | { kind: 'in_progress'; message: string };

export class DefenderApi {
  constructor(
    private readonly credential: TokenCredential,
    private readonly secret: string,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly tracer?: Tracer,
  ) {}

  async machine(machineId: string): Promise<Machine | null> {
    const answer = await this.request('GET', `/api/machines/${encodeURIComponent(machineId)}`, undefined, undefined, [404]);
    return answer.status === 404 ? null : parseAnswer(machineSchema, answer, 'Defender', 'a machine');
  }

  /** The machine with this DNS name (the most recently seen one when there are several), or null. */
  async machineByDnsName(dnsName: string): Promise<Machine | null> {
    const answer = await this.request('GET', '/api/machines', `computerDnsName eq '${odataString(dnsName.toLowerCase())}'`);
    const machines = parseAnswer(listOf(machineSchema), answer, 'Defender', 'a machine search').value;
    return machines.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))[0] ?? null;
  }

  /** Asks for a MachineAction (`isolate`, `unisolate`, `StopAndQuarantineFile`, `runAntiVirusScan`). */
  async submit(machineId: string, verb: string, body: Record<string, unknown>): Promise<Submitted> {
    const answer = await this.request('POST', `/api/machines/${encodeURIComponent(machineId)}/${verb}`, undefined, body, [400]);
    if (answer.status === 400) {
      const message = vendorMessage(answer.json, answer.text);
      if (/already in progress|ActiveRequestAlreadyExists/i.test(message)) return { kind: 'in_progress', message };
      throw vendorFailure('Defender', `POST /api/machines/${machineId}/${verb}`, 400, answer.json, answer.text, null, [this.secret]);
    }
    return { kind: 'started', action: parseAnswer(machineActionSchema, answer, 'Defender', 'a machine action request') };
  }

  async action(id: string): Promise<MachineAction> {
    return parseAnswer(machineActionSchema, await this.request('GET', `/api/machineactions/${encodeURIComponent(id)}`), 'Defender', 'a machine action');
  }

  /** The machine's actions of these types, newest first. */
  async actionsOf(machineId: string, types: readonly string[]): Promise<MachineAction[]> {
    const typeFilter = types.map((t) => `type eq '${odataString(t)}'`).join(' or ');
    const answer = await this.request('GET', '/api/machineactions', `machineId eq '${odataString(machineId)}' and (${typeFilter})`);
    return parseAnswer(listOf(machineActionSchema), answer, 'Defender', 'a machine action search')
      .value.filter((a) => types.includes(a.type))
      .sort((a, b) => (b.creationDateTimeUtc ?? '').localeCompare(a.creationDateTimeUtc ?? ''));
  }

  private async request(method: 'GET' | 'POST', path: string, filter?: string, body?: unknown, statusesReturned: number[] = []): Promise<VendorAnswer> {
    const url = new URL(path, this.baseUrl);
    // Spaces as %20, not '+': OData reads the query literally.
    if (filter !== undefined) url.search = `$filter=${encodeURIComponent(filter)}`;
    return vendorFetch(
      { vendor: 'Defender', method, url, authorization: `Bearer ${await this.token()}`, body, timeoutMs: this.timeoutMs, secrets: [this.secret], tracer: this.tracer },
      statusesReturned,
    );
  }

  private async token(): Promise<string> {
    try {
      const token = await this.credential.getToken(DEFENDER_SCOPE, { abortSignal: AbortSignal.timeout(this.timeoutMs) });
      if (!token) throw refused('VendorRefused', 'Defender: Entra ID gave no token for the Defender scope');
      return token.token;
    } catch (error) {
      throw tokenFailure(error, 'Defender', this.secret);
    }
  }
}

export function createDefenderApi(deps: ResponseDeps, tenantId: string): DefenderApi {
  const { credential, secret } = entraCredential(deps, tenantId, 'defender');
  return new DefenderApi(credential, secret, deps.endpoints.defenderBaseUrl, deps.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS, deps.tracer);
}

/** OData string literal: a single quote is doubled. */
function odataString(value: string): string {
  return value.replace(/'/g, "''");
}
