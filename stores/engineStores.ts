/** Everything the engine keeps of its own (beside Temporal): one store per concern, SQLite or PostgreSQL behind each. */
import type { AlertReadModel } from './alertReadModel';
import type { GraphWatermarks } from './graphWatermarks';
import type { RateLimitStore } from './rateLimitStore';
import type { SessionStore } from './sessionStore';
import type { TenantLedger } from './tenantLedger';
import type { VersionStore } from './versionStore';
import type { WorkOrderStore } from './workOrderStore';

export interface EngineStores {
  /** `sqlite` (the embedded default) or `postgres` (production, several hosts). */
  kind: 'sqlite' | 'postgres';
  readModel: AlertReadModel;
  workOrders: WorkOrderStore;
  ledger: TenantLedger;
  watermarks: GraphWatermarks;
  sessions: SessionStore;
  rateLimits: RateLimitStore;
  /** Revisions of playbooks and release matrices changed at run time. */
  versions: VersionStore;
  close(): Promise<void>;
}
