/**
 * FortiGate (FortiOS REST, Bearer API key): one address object `soar_<ip>` per blocked IP, made a member of the
 * address group a deny rule uses. IPv6 addresses use `address6`/`addrgrp6` (FortiOS keeps them apart).
 */
import ipaddr from 'ipaddr.js';
import type { Tracer } from '@opentelemetry/api';
import { z } from 'zod';
import { parseAnswer, vendorFetch } from '../vendorHttp';
import type { FirewallBlockList } from './blockList';

export interface FortigateSettings {
  baseUrl: string;
  group: string;
  vdom?: string;
  apiKey: string;
  timeoutMs: number;
  tracer?: Tracer;
}

const memberSchema = z.object({ name: z.string() });
const groupSchema = z.object({ results: z.array(z.object({ name: z.string(), member: z.array(memberSchema).default([]) })).min(1) });

export function createFortigateBlockList(settings: FortigateSettings): FirewallBlockList {
  const description = `FortiGate address group ${settings.group} at ${new URL(settings.baseUrl).host}${settings.vdom ? ` (VDOM ${settings.vdom})` : ''}`;
  const call = (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, statusesReturned: number[] = []) => {
    const url = new URL(`/api/v2/cmdb/firewall/${path}`, settings.baseUrl);
    if (settings.vdom) url.searchParams.set('vdom', settings.vdom);
    return vendorFetch(
      { vendor: 'FortiGate', method, url, authorization: `Bearer ${settings.apiKey}`, body, timeoutMs: settings.timeoutMs, secrets: [settings.apiKey], tracer: settings.tracer },
      statusesReturned,
    );
  };
  const kinds = (ip: string) => (ipaddr.parse(ip).kind() === 'ipv6' ? { address: 'address6', group: 'addrgrp6' } : { address: 'address', group: 'addrgrp' });
  const objectName = (ip: string) => `soar_${ip}`;

  async function members(ip: string): Promise<{ name: string }[]> {
    const path = `${kinds(ip).group}/${encodeURIComponent(settings.group)}`;
    const group = parseAnswer(groupSchema, await call('GET', path), 'FortiGate', `GET ${path}`);
    return group.results[0]?.member ?? [];
  }

  async function setMembers(ip: string, member: { name: string }[]): Promise<void> {
    await call('PUT', `${kinds(ip).group}/${encodeURIComponent(settings.group)}`, { member });
  }

  return {
    description,
    async isBlocked(ip) {
      return (await members(ip)).some((m) => m.name === objectName(ip));
    },
    async block(ip) {
      const name = objectName(ip);
      const { address } = kinds(ip);
      const existing = await call('GET', `${address}/${encodeURIComponent(name)}`, undefined, [404]);
      if (existing.status === 404) {
        const object = address === 'address6' ? { name, ip6: `${ip}/128`, comment: 'Blocked by the SOC (SOAR)' } : { name, type: 'ipmask', subnet: `${ip}/32`, comment: 'Blocked by the SOC (SOAR)' };
        await call('POST', address, object);
      }
      const current = await members(ip);
      if (!current.some((m) => m.name === name)) await setMembers(ip, [...current, { name }]);
      return name;
    },
    async unblock(ip) {
      const name = objectName(ip);
      const current = await members(ip);
      // FortiOS refuses an empty group; a deny rule's group normally keeps a placeholder member for that reason.
      if (current.some((m) => m.name === name)) await setMembers(ip, current.filter((m) => m.name !== name));
      return name;
    },
  };
}
