/** Fake firewall APIs: OPNsense alias_util (HTTP Basic) and FortiOS cmdb address / addrgrp (Bearer, ?vdom=). */
import ipaddr from 'ipaddr.js';
import { startHttpsFake, type FakeReply, type RecordedRequest, type RunningFake } from './httpsFake';

export class OpnsenseFake {
  private aliases = new Map<string, Set<string>>();
  url = '';

  constructor(
    private readonly log: RecordedRequest[],
    readonly apiKey: string,
    readonly apiSecret: string,
  ) {
    this.seed();
  }

  async start(): Promise<RunningFake> {
    const running = await startHttpsFake('opnsense', this.log, (request) => this.answer(request));
    this.url = running.url;
    return running;
  }

  /** The alias's entries; throws when the fake has no such alias. */
  alias(name: string): string[] {
    const entries = this.aliases.get(name);
    if (!entries) throw new Error(`The OPNsense fake has no alias ${name}`);
    return [...entries];
  }

  addAlias(name: string, entries: string[] = []): void {
    this.aliases.set(name, new Set(entries));
  }

  reset(): void {
    this.aliases.clear();
    this.seed();
  }

  private seed(): void {
    this.addAlias('SOAR_BLOCKLIST', ['192.0.2.66']);
  }

  private answer(request: RecordedRequest): FakeReply {
    const expected = `Basic ${Buffer.from(`${this.apiKey}:${this.apiSecret}`).toString('base64')}`;
    if (request.authorization !== expected) return { status: 401, body: { status: 401, message: 'Authentication Failed' } };
    const m = /^\/api\/firewall\/alias_util\/(list|add|delete)\/([^/]+)$/.exec(request.path);
    if (!m) return { status: 404, body: { errorMessage: 'Endpoint not found', errorTitle: 'Error' } };
    const [, verb, name = ''] = m;
    const alias = this.aliases.get(name);
    if (verb === 'list' && request.method === 'GET') {
      const rows = [...(alias ?? [])].map((ip) => ({ ip }));
      return { status: 200, body: { total: rows.length, rowCount: rows.length, current: 1, rows } };
    }
    if (request.method !== 'POST') return { status: 405, body: { errorMessage: 'Method not allowed' } };
    if (!alias) return { status: 200, body: { status: 'failed', status_msg: `alias ${name} not found` } };
    const address = (request.body as { address?: unknown } | undefined)?.address;
    if (typeof address !== 'string' || !ipaddr.isValid(address)) return { status: 200, body: { status: 'not_an_address' } };
    if (verb === 'add') alias.add(address);
    else alias.delete(address);
    return { status: 200, body: { status: 'done' } };
  }
}

export interface FortigateAddress {
  name: string;
  type?: string;
  subnet?: string;
  ip6?: string;
  comment?: string;
}

export class FortigateFake {
  private addresses = new Map<string, FortigateAddress>();
  private groups = new Map<string, string[]>();
  url = '';

  constructor(
    private readonly log: RecordedRequest[],
    readonly apiKey: string,
    /** The VDOM every request must name (FortiOS answers 404 for objects of another VDOM). */
    readonly vdom: string,
  ) {
    this.seed();
  }

  async start(): Promise<RunningFake> {
    const running = await startHttpsFake('fortigate', this.log, (request) => this.answer(request));
    this.url = running.url;
    return running;
  }

  /** Members of the address group (IPv4 `addrgrp` or IPv6 `addrgrp6` both live here by name). */
  group(name: string): string[] {
    const members = this.groups.get(name);
    if (!members) throw new Error(`The FortiGate fake has no address group ${name}`);
    return [...members];
  }

  address(name: string): FortigateAddress | undefined {
    return this.addresses.get(name);
  }

  reset(): void {
    this.addresses.clear();
    this.groups.clear();
    this.seed();
  }

  private seed(): void {
    // FortiOS refuses an empty group, so a deny rule's group starts with a placeholder.
    this.addresses.set('soar_placeholder', { name: 'soar_placeholder', type: 'ipmask', subnet: '192.0.2.255 255.255.255.255' });
    this.groups.set('SOAR-BLOCK', ['soar_placeholder']);
  }

  private answer(request: RecordedRequest): FakeReply {
    if (request.authorization !== `Bearer ${this.apiKey}`) return { status: 401, body: { http_status: 401, status: 'error' } };
    if ((request.query.vdom ?? 'root') !== this.vdom) return reply(404, { status: 'error', error: -3 });
    const m = /^\/api\/v2\/cmdb\/firewall\/(address6?|addrgrp6?)(?:\/([^/]+))?$/.exec(request.path);
    if (!m) return reply(404, { status: 'error' });
    const [, table = '', name] = m;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (table.startsWith('address')) {
      if (request.method === 'GET' && name) {
        const object = this.addresses.get(name);
        return object ? reply(200, { status: 'success', results: [object] }) : reply(404, { status: 'error', error: -3 });
      }
      if (request.method === 'POST' && !name) {
        if (typeof body.name !== 'string') return reply(500, { status: 'error', error: -651 });
        if (this.addresses.has(body.name)) return reply(500, { status: 'error', error: -5, cli_error: 'entry already exists' });
        const object: FortigateAddress = { name: body.name };
        if (table === 'address') {
          if (body.type !== 'ipmask' || typeof body.subnet !== 'string') return reply(500, { status: 'error', error: -651 });
          const [ip, bits] = body.subnet.split('/');
          object.type = 'ipmask';
          object.subnet = `${ip} ${bits === '32' ? '255.255.255.255' : bits}`;
        } else {
          if (typeof body.ip6 !== 'string') return reply(500, { status: 'error', error: -651 });
          object.ip6 = body.ip6;
        }
        this.addresses.set(body.name, object);
        return reply(200, { status: 'success', mkey: body.name });
      }
    }
    if (table.startsWith('addrgrp') && name) {
      const members = this.groups.get(name);
      if (!members) return reply(404, { status: 'error', error: -3 });
      if (request.method === 'GET') return reply(200, { status: 'success', results: [{ name, member: members.map((n) => ({ name: n, q_origin_key: n })) }] });
      if (request.method === 'PUT') {
        if (!Array.isArray(body.member)) return reply(500, { status: 'error', error: -651 });
        const names = body.member.map((entry: { name?: unknown }) => String(entry.name));
        if (names.length === 0) return reply(500, { status: 'error', error: -651, cli_error: 'member cannot be empty' });
        const unknown = names.find((n) => !this.addresses.has(n));
        if (unknown) return reply(424, { status: 'error', error: -3, cli_error: `entry not found in datasource: ${unknown}` });
        this.groups.set(name, names);
        return reply(200, { status: 'success', mkey: name });
      }
    }
    return reply(405, { status: 'error' });
  }
}

function reply(status: number, body: Record<string, unknown>): FakeReply {
  return { status, body: { http_method: 'GET', revision: '1', vdom: 'root', path: 'firewall', serial: 'FGT200FTK0000000', version: 'v7.4.4', build: 2662, http_status: status, ...body } };
}
