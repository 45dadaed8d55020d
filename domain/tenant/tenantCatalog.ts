/** The validated tenants of one start-up, immutable, looked up by id or by connected Azure tenant. */
import ipaddr from 'ipaddr.js';
import { azureTenantIdsOf, type Tenant } from './tenantSchema';

/** A clash between tenants of one catalog, reported on the later one (`index`) against the earlier one (`otherIndex`). */
export interface CatalogConflict {
  readonly index: number;
  readonly otherIndex: number;
  readonly path: (string | number)[];
  readonly field: 'id' | 'azureTenantId' | 'addresses' | 'certificates';
  readonly value: string;
  /** For `addresses`: the other tenant's range that overlaps `value`. */
  readonly otherValue?: string;
}

/** Thrown when a tenant id that must exist is not in the catalog. */
export class TenantNotFoundError extends Error {
  override readonly name = 'TenantNotFoundError';
  constructor(readonly tenantId: string) {
    super(`Unknown tenant '${tenantId}'`);
  }
}

/** Thrown when tenants given to a catalog share an id or an Azure tenant. */
export class TenantCatalogConflictError extends Error {
  override readonly name = 'TenantCatalogConflictError';
  constructor(readonly conflicts: readonly CatalogConflict[], tenants: readonly Tenant[]) {
    super(conflicts.map((c) => conflictMessage(c, `tenant '${tenants[c.otherIndex]?.id}'`)).join('\n'));
  }
}

/** Says what clashes, naming the earlier tenant as `other` (a tenant id or a file). */
export function conflictMessage(conflict: CatalogConflict, other: string): string {
  if (conflict.field === 'id') return `tenant id '${conflict.value}' is already used by ${other}`;
  if (conflict.field === 'addresses') {
    return `syslog sender range ${conflict.value} overlaps ${conflict.otherValue ?? '?'} of ${other}; a sender address must identify one tenant (R1), so overlapping ranges (NAT, RFC 1918) are refused`;
  }
  if (conflict.field === 'certificates') {
    return `syslog TLS client certificate ${conflict.value} is already registered for ${other}; a certificate must identify one source (R1)`;
  }
  return `Azure tenant ${conflict.value} is already connected for ${other}; one Microsoft 365 tenant belongs to one customer`;
}

/**
 * Duplicate tenant ids, one Azure tenant claimed by two customers (it would route one's alerts to the other), and
 * syslog sender ranges of two tenants that overlap (events from the shared addresses would go to either one).
 */
export function catalogConflicts(tenants: readonly Tenant[]): CatalogConflict[] {
  const conflicts: CatalogConflict[] = [];
  const ids = new Map<string, number>();
  const azure = new Map<string, number>();
  tenants.forEach((tenant, index) => {
    const first = ids.get(tenant.id);
    if (first !== undefined) conflicts.push({ index, otherIndex: first, path: ['id'], field: 'id', value: tenant.id });
    else ids.set(tenant.id, index);
    tenant.sources.forEach((source, sourceIndex) => {
      if (!source.azureTenantId) return;
      const owner = azure.get(source.azureTenantId);
      if (owner === undefined) azure.set(source.azureTenantId, index);
      else if (owner !== index) {
        conflicts.push({ index, otherIndex: owner, path: ['sources', sourceIndex, 'azureTenantId'], field: 'azureTenantId', value: source.azureTenantId });
      }
    });
  });
  return [...conflicts, ...senderRangeConflicts(tenants), ...certificateConflicts(tenants)];
}

interface SenderRange {
  index: number;
  path: (string | number)[];
  text: string;
  network: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
}

/** CIDR ranges are nested or disjoint: two overlap when they agree on the shorter prefix. */
function senderRangeConflicts(tenants: readonly Tenant[]): CatalogConflict[] {
  const ranges: SenderRange[] = tenants.flatMap((tenant, index) =>
    tenant.sources.flatMap((source, sourceIndex) =>
      (source.addresses ?? []).map((text, addressIndex) => {
        const [network, prefix] = ipaddr.parseCIDR(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
        return { index, path: ['sources', sourceIndex, 'addresses', addressIndex], text, network, prefix };
      }),
    ),
  );
  const conflicts: CatalogConflict[] = [];
  ranges.forEach((range, at) => {
    const other = ranges.slice(0, at).find((r) => r.index !== range.index && r.network.kind() === range.network.kind() && range.network.match(r.network as never, Math.min(r.prefix, range.prefix)));
    if (other) conflicts.push({ index: range.index, otherIndex: other.index, path: range.path, field: 'addresses', value: range.text, otherValue: other.text });
  });
  return conflicts;
}

/** A TLS client certificate names one source: the same fingerprint twice (two tenants, or two sources) is refused. */
function certificateConflicts(tenants: readonly Tenant[]): CatalogConflict[] {
  const owners = new Map<string, number>();
  const conflicts: CatalogConflict[] = [];
  tenants.forEach((tenant, index) =>
    tenant.sources.forEach((source, sourceIndex) =>
      (source.certificates ?? []).forEach((fingerprint, at) => {
        const owner = owners.get(fingerprint);
        if (owner === undefined) owners.set(fingerprint, index);
        else conflicts.push({ index, otherIndex: owner, path: ['sources', sourceIndex, 'certificates', at], field: 'certificates', value: fingerprint });
      }),
    ),
  );
  return conflicts;
}

export class TenantCatalog {
  private readonly tenants: readonly Tenant[];
  private readonly byId: ReadonlyMap<string, Tenant>;
  private readonly byAzureTenantId: ReadonlyMap<string, Tenant>;

  constructor(tenants: readonly Tenant[]) {
    const conflicts = catalogConflicts(tenants);
    if (conflicts.length > 0) throw new TenantCatalogConflictError(conflicts, tenants);
    this.tenants = Object.freeze([...tenants].sort((a, b) => a.id.localeCompare(b.id)).map(deepFreeze));
    this.byId = new Map(this.tenants.map((t) => [t.id, t]));
    this.byAzureTenantId = new Map(this.tenants.flatMap((t) => azureTenantIdsOf(t).map((guid) => [guid, t] as const)));
    Object.freeze(this);
  }

  get(id: string): Tenant | undefined {
    return this.byId.get(id);
  }

  /** The tenant, or a TenantNotFoundError for an id that must exist. */
  require(id: string): Tenant {
    const tenant = this.byId.get(id);
    if (!tenant) throw new TenantNotFoundError(id);
    return tenant;
  }

  /** Every tenant, ordered by id. */
  all(): readonly Tenant[] {
    return this.tenants;
  }

  /** The tenant whose Microsoft 365 source is connected to this Azure (Entra ID) tenant. */
  findByAzureTenantId(azureTenantId: string): Tenant | undefined {
    return this.byAzureTenantId.get(azureTenantId.toLowerCase());
  }

  get size(): number {
    return this.tenants.length;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
