/** Which tenant's registered source a syslog sender is (R1): by the source's `addresses`, the most specific range winning. */
import ipaddr from 'ipaddr.js';
import type { TenantCatalog } from '../../domain/tenant/tenantCatalog';
import type { Tenant, TenantSource } from '../../domain/tenant/tenantSchema';

export interface Sender {
  tenant: Tenant;
  source: TenantSource;
}

interface Range {
  network: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
  sender: Sender;
}

export class SenderDirectory {
  private readonly ranges: Range[] = [];

  constructor(tenants: TenantCatalog) {
    for (const tenant of tenants.all()) {
      for (const source of tenant.sources) {
        for (const address of source.addresses ?? []) {
          const [network, prefix] = address.includes('/') ? ipaddr.parseCIDR(address) : [ipaddr.parse(address), address.includes(':') ? 128 : 32];
          this.ranges.push({ network, prefix, sender: { tenant, source } });
        }
      }
    }
    // Most specific first, so a host address inside a wider range of the same tenant finds its own source (ranges of
    // two tenants never overlap: the tenant catalog refuses that at load).
    this.ranges.sort((a, b) => b.prefix - a.prefix);
  }

  /** The registered source sending from this address (IPv4-mapped IPv6 as IPv4), or undefined. */
  find(address: string): Sender | undefined {
    if (!ipaddr.isValid(address)) return undefined;
    const ip = ipaddr.process(address);
    for (const range of this.ranges) {
      if (range.network.kind() === ip.kind() && ip.match(range.network as never, range.prefix)) return range.sender;
    }
    return undefined;
  }
}
