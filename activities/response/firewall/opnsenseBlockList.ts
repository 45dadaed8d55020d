/** OPNsense: an alias a deny rule uses, changed through alias_util (HTTP Basic with the API key and secret; no apply step). */
import type { Tracer } from '@opentelemetry/api';
import { z } from 'zod';
import { refused } from '../failures';
import { parseAnswer, vendorFetch } from '../vendorHttp';
import type { FirewallBlockList } from './blockList';

export interface OpnsenseSettings {
  baseUrl: string;
  alias: string;
  apiKey: string;
  apiSecret: string;
  timeoutMs: number;
  tracer?: Tracer;
}

const listSchema = z.object({ rows: z.array(z.object({ ip: z.string() })).default([]) });
const changeSchema = z.object({ status: z.string(), status_msg: z.string().optional() });

export function createOpnsenseBlockList(settings: OpnsenseSettings): FirewallBlockList {
  const authorization = `Basic ${Buffer.from(`${settings.apiKey}:${settings.apiSecret}`).toString('base64')}`;
  const description = `OPNsense alias ${settings.alias} at ${new URL(settings.baseUrl).host}`;
  const call = (method: 'GET' | 'POST', verb: 'list' | 'add' | 'delete', body?: unknown) =>
    vendorFetch({
      vendor: 'OPNsense',
      method,
      url: new URL(`/api/firewall/alias_util/${verb}/${encodeURIComponent(settings.alias)}`, settings.baseUrl),
      authorization,
      body,
      timeoutMs: settings.timeoutMs,
      secrets: [settings.apiSecret, authorization],
      tracer: settings.tracer,
    });

  async function change(verb: 'add' | 'delete', ip: string): Promise<string> {
    const answer = parseAnswer(changeSchema, await call('POST', verb, { address: ip }), 'OPNsense', `alias_util/${verb}`);
    if (answer.status !== 'done') {
      throw refused('VendorRefused', `OPNsense refused alias_util/${verb}/${settings.alias} ${ip}: ${answer.status}${answer.status_msg ? ` ${answer.status_msg}` : ''}`);
    }
    return `${settings.alias}:${ip}`;
  }

  return {
    description,
    async isBlocked(ip) {
      const list = parseAnswer(listSchema, await call('GET', 'list'), 'OPNsense', 'alias_util/list');
      return list.rows.some((row) => sameAddress(row.ip, ip));
    },
    block: (ip) => change('add', ip),
    unblock: (ip) => change('delete', ip),
  };
}

/** Alias entries may carry a prefix length for a single host (`203.0.113.7/32`). */
function sameAddress(entry: string, ip: string): boolean {
  return entry === ip || entry === `${ip}/32` || entry === `${ip}/128`;
}
