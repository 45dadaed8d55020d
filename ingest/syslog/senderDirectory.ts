/**
 * Which tenant's registered source a syslog sender is (R1): over UDP and TCP by the source's `addresses`, the most
 * specific range winning (the address is trusted as it arrives: UDP senders can be spoofed, see docs/operations.md);
 * over TLS by the fingerprint of the client certificate the sender presents (`certificates`).
 */
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
  private readonly certificates = new Map<string, Sender>();

  constructor(tenants: TenantCatalog) {
    for (const tenant of tenants.all()) {
      for (const source of tenant.sources) {
        for (const fingerprint of source.certificates ?? []) this.certificates.set(fingerprint, { tenant, source });
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

  /** Syslog over TLS: the registered source whose client certificate has this SHA-256 fingerprint (`AB:CD:…`, any case). */
  findByCertificate(fingerprint256: string): Sender | undefined {
    return this.certificates.get(`sha-256:${fingerprint256.toUpperCase()}`);
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
