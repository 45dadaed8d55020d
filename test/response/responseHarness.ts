/** Runs the real response activities against the HTTPS vendor fakes, inside a real activity context (MockActivityEnvironment). */
import { MockActivityEnvironment } from '@temporalio/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createResponseActivities, type ResponseActivities, type ResponseDeps } from '../../activities/response';
import { ACTIONS, type ActionName } from '../../domain/response/actionCatalog';
import type { ActionRequest, ActionResult } from '../../domain/response/actionContract';
import { ACTION_PARAMS } from '../../domain/response/actionSchemas';
import type { ResolvedTarget } from '../../domain/response/targets';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { createSecretResolver } from '../../infra/secrets';
import { startVendorFakes, writeVendorTestTenants, type VendorFakes } from '../support/vendors';
import { REPO } from '../support/testEnv';

export interface ResponseHarness {
  fakes: VendorFakes;
  deps: ResponseDeps;
  activities: ResponseActivities;
  /** Runs one activity of the catalogue in a fresh activity context (optionally resuming from heartbeat details). */
  run(action: ActionName, tenantId: string, target: ResolvedTarget, subject?: ResolvedTarget | null, params?: Record<string, unknown>, heartbeatDetails?: unknown): Promise<ActionResult>;
  /** Heartbeats recorded by the last `run`. */
  heartbeats: unknown[];
  /** Fresh activities (empty client caches) and fresh fake state. */
  reset(): void;
  close(): Promise<void>;
}

export async function startResponseHarness(overrides: Partial<ResponseDeps> = {}): Promise<ResponseHarness> {
  const fakes = await startVendorFakes();
  const dir = mkdtempSync(join(tmpdir(), 'soar-response-'));
  const { tenantsDir, env } = writeVendorTestTenants(dir, fakes, join(REPO, 'config/tenants'));
  const deps: ResponseDeps = {
    tenants: loadTenantDirectory(tenantsDir),
    secrets: createSecretResolver(env),
    endpoints: fakes.endpoints,
    requestTimeoutMs: 5_000,
    machineActionPollMs: 5,
    ...overrides,
  };
  const harness: ResponseHarness = {
    fakes,
    deps,
    activities: createResponseActivities(deps),
    heartbeats: [],
    async run(action, tenantId, target, subject = null, params = {}, heartbeatDetails) {
      const request: ActionRequest = {
        tenantId,
        alertId: 'alert-test-1',
        requestKey: `run-1/step-1/1`,
        action,
        target,
        subject,
        params: ACTION_PARAMS[action].parse(params) as Record<string, unknown>,
        comment: `SOC playbook run run-1: ${action}`,
      };
      const name = ACTIONS[action].activity as keyof ResponseActivities;
      const environment = new MockActivityEnvironment(heartbeatDetails === undefined ? {} : { heartbeatDetails });
      harness.heartbeats = [];
      environment.on('heartbeat', (details: unknown) => harness.heartbeats.push(details));
      const activity = harness.activities[name] as (r: ActionRequest) => Promise<ActionResult>;
      return environment.run(activity, request);
    },
    reset() {
      fakes.reset();
      harness.activities = createResponseActivities(deps);
    },
    async close() {
      await fakes.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

export const MUELLER = 'mueller-logistik';
export const RHEINWERK = 'rheinwerk-maschinenbau';
export const NORDWIND = 'nordwind-handel';
