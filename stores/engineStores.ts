/** Everything the engine keeps of its own (beside Temporal): one store per concern, SQLite or PostgreSQL behind each. */
import type { AlertReadModel } from './alertReadModel';
import type { GraphWatermarks } from './graphWatermarks';
import type { RateLimitStore } from './rateLimitStore';
import type { SessionStore } from './sessionStore';
import type { TenantLedger } from './tenantLedger';
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
  close(): Promise<void>;
}
