/**
 * Blocking and unblocking an IP on a tenant's firewall (R12): the API address and block list come from the
 * firewall source in the tenant file. Internal, special-purpose and the firewall's own addresses are refused before
 * any request; a block already in place is reported as already done.
 */
import ipaddr from 'ipaddr.js';
import type { ActionRequest, ActionResult } from '../../../domain/response/actionContract';
import { blockRefusal } from '../../../domain/response/blockableIp';
import type { FirewallTarget } from '../../../domain/response/targets';
import { findSource } from '../../../domain/tenant/tenantSchema';
import { refused } from '../failures';
import { subjectOfKind, targetOfKind } from '../requestTargets';
import { integrationAccess, tenantOf, type ResponseDeps } from '../tenantAccess';
import type { FirewallBlockList } from './blockList';
import { createFortigateBlockList } from './fortigateBlockList';
import { createOpnsenseBlockList } from './opnsenseBlockList';

const DEFAULT_TIMEOUT_MS = 30_000;
const SOURCE_KIND = { opnsense: 'firewall-opnsense', fortigate: 'firewall-fortigate' } as const;

export function createFirewallActivities(deps: ResponseDeps) {
  const lists = new Map<string, FirewallBlockList>();

  /** Checks the address and finds the block list; nothing is sent to the firewall before both pass. */
  function prepare(request: ActionRequest): { ip: string; list: FirewallBlockList; firewall: FirewallTarget } {
    const firewall = targetOfKind(request, 'firewall');
    const address = subjectOfKind(request, 'ip').address;
    const tenant = tenantOf(deps, request.tenantId);
    const source = findSource(tenant, firewall.sourceId);
    if (!source || source.kind !== SOURCE_KIND[firewall.vendor]) {
      throw refused('IntegrationNotConfigured', `Tenant '${tenant.id}' has no ${SOURCE_KIND[firewall.vendor]} source '${firewall.sourceId}'`);
    }
    const refusal = blockRefusal(address, source.addresses ?? []);
    if (refusal !== null) throw refused('UnsafeTarget', `Refused to touch ${address} on firewall ${firewall.sourceId}: ${refusal}`);
    const ip = ipaddr.process(address).toString();
    const key = `${tenant.id}/${source.id}`;
    let list = lists.get(key);
    if (!list) {
      const api = source.api;
      if (!api) throw refused('IntegrationNotConfigured', `Firewall source '${source.id}' of tenant '${tenant.id}' has no api { url, blockList } in its tenant file`);
      const timeoutMs = deps.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
      const access = integrationAccess(deps, tenant.id, firewall.vendor);
      if (firewall.vendor === 'opnsense') {
        if (!access.clientId) throw refused('IntegrationNotConfigured', `Tenant '${tenant.id}' credentials.opnsense has no clientId (the API key)`);
        list = createOpnsenseBlockList({ baseUrl: api.url, alias: api.blockList, apiKey: access.clientId, apiSecret: access.secret, timeoutMs, tracer: deps.tracer });
      } else {
        list = createFortigateBlockList({ baseUrl: api.url, group: api.blockList, vdom: api.vdom, apiKey: access.secret, timeoutMs, tracer: deps.tracer });
      }
      lists.set(key, list);
    }
    return { ip, list, firewall };
  }

  return {
    async firewallBlockIp(request: ActionRequest): Promise<ActionResult> {
      const { ip, list } = prepare(request);
      if (await list.isBlocked(ip)) return { outcome: 'already_done', detail: `${ip} was already on the ${list.description}`, vendorReference: null, outputs: {} };
      const reference = await list.block(ip);
      return { outcome: 'done', detail: `Blocked ${ip} on the ${list.description}`, vendorReference: reference, outputs: {} };
    },

    async firewallUnblockIp(request: ActionRequest): Promise<ActionResult> {
      const { ip, list } = prepare(request);
      if (!(await list.isBlocked(ip))) return { outcome: 'already_done', detail: `${ip} was not on the ${list.description}`, vendorReference: null, outputs: {} };
      const reference = await list.unblock(ip);
      return { outcome: 'done', detail: `Removed ${ip} from the ${list.description}`, vendorReference: reference, outputs: {} };
    },
  };
}
