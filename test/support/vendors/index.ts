/**
 * HTTPS fakes of the response vendors (Entra ID, Graph, Defender for Endpoint, OPNsense, FortiGate), started
 * together on free ports. Each records every request and keeps the state the real system would change, so tests
 * (and a worker running in another process) can be checked against effective changes. Needs the throwaway test CA:
 * run through `npm test` / scripts/run-jest.cjs.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefenderFake } from './defenderFake';
import { EntraAuthorityFake } from './entraAuthorityFake';
import { FortigateFake, OpnsenseFake } from './firewallFakes';
import { GraphFake } from './graphFake';
import { requestTo, type FaultQueue, type RecordedRequest, type RunningFake } from './httpsFake';

export type { ConnectionFault, RecordedRequest } from './httpsFake';
export { requestTo } from './httpsFake';
export type { FakeGraphUser } from './graphFake';
export type { FakeMachine, FakeMachineAction } from './defenderFake';

export type VendorName = 'entra' | 'graph' | 'defender' | 'opnsense' | 'fortigate';

/** The secrets the sample tenants' references resolve to in tests (env:NAME and the FortiGate token file). */
export const VENDOR_TEST_SECRETS = {
  MUELLER_GRAPH_CLIENT_SECRET: 'mueller-graph-secret-Zq8~tQ1vX',
  MUELLER_OPNSENSE_API_SECRET: 'mueller-opnsense-secret-3f9a7c',
  RHEINWERK_GRAPH_CLIENT_SECRET: 'rheinwerk-graph-secret-Kd2~pL9',
  NORDWIND_DEFENDER_CLIENT_SECRET: 'nordwind-defender-secret-8hG4',
  SOC_SMS_GATEWAY_TOKEN: 'sms-gateway-token-test',
} as const;
export const FORTIGATE_TEST_TOKEN = 'rheinwerk-fortigate-token-w7Tq2x';
/** The OPNsense API key (credentials.opnsense.clientId of mueller-logistik). */
export const OPNSENSE_TEST_KEY = 'soar-api';

export interface VendorFakes {
  /** Base URLs; `endpoints` is what ResponseDeps.endpoints takes. */
  urls: Record<VendorName, string>;
  endpoints: { graphBaseUrl: string; authorityHost: string; defenderBaseUrl: string };
  entra: EntraAuthorityFake;
  graph: GraphFake;
  defender: DefenderFake;
  opnsense: OpnsenseFake;
  fortigate: FortigateFake;
  /** Connection faults (hang, delay, drop, applyThenDrop) for the next requests to each vendor; cleared by reset(). */
  faults(vendor: VendorName): FaultQueue;
  /** Every request received, oldest first; of one vendor when named. */
  requests(vendor?: VendorName): RecordedRequest[];
  /** How many requests a vendor received with this method and a path matching `path` (exact string or pattern). */
  count(vendor: VendorName, method: string, path: string | RegExp): number;
  /** Forgets recorded requests and restores every fake's seed state. */
  reset(): void;
  close(): Promise<void>;
}

export async function startVendorFakes(): Promise<VendorFakes> {
  const log: RecordedRequest[] = [];
  const entra = new EntraAuthorityFake(log);
  const graph = new GraphFake(log, entra);
  const defender = new DefenderFake(log, entra);
  const opnsense = new OpnsenseFake(log, OPNSENSE_TEST_KEY, VENDOR_TEST_SECRETS.MUELLER_OPNSENSE_API_SECRET);
  const fortigate = new FortigateFake(log, FORTIGATE_TEST_TOKEN, 'root');
  const running = new Map<VendorName, RunningFake>();
  try {
    for (const [name, fake] of [['entra', entra], ['graph', graph], ['defender', defender], ['opnsense', opnsense], ['fortigate', fortigate]] as const) running.set(name, await fake.start());
  } catch (error) {
    await Promise.all([...running.values()].map((r) => r.close()));
    throw error;
  }
  const urls = { entra: entra.url, graph: graph.url, defender: defender.url, opnsense: opnsense.url, fortigate: fortigate.url };
  return {
    urls,
    endpoints: { graphBaseUrl: `${graph.url}/`, authorityHost: entra.url, defenderBaseUrl: defender.url },
    entra,
    graph,
    defender,
    opnsense,
    fortigate,
    faults(vendor) {
      const started = running.get(vendor);
      if (!started) throw new Error(`No ${vendor} fake is running`);
      return started.faults;
    },
    requests: (vendor) => log.filter((r) => vendor === undefined || r.vendor === vendor),
    count: (vendor, method, path) =>
      log.filter((r) => r.vendor === vendor && requestTo(method, path)(r)).length,
    reset() {
      log.length = 0;
      entra.reset();
      graph.reset();
      defender.reset();
      opnsense.reset();
      fortigate.reset();
      for (const started of running.values()) started.faults.clear();
    },
    close: async () => {
      await Promise.all([...running.values()].map((r) => r.close()));
    },
  };
}

/**
 * Writes the sample tenant files into `dir` with the firewall API URLs pointing at the fakes and the FortiGate token
 * file made there; returns the folder and the environment that resolves every secret reference (for
 * `createSecretResolver(env)` here, or for a worker process started with that environment).
 */
export function writeVendorTestTenants(dir: string, fakes: Pick<VendorFakes, 'urls'>, samplesDir: string): { tenantsDir: string; env: Record<string, string> } {
  const tenantsDir = join(dir, 'tenants');
  mkdirSync(tenantsDir, { recursive: true });
  const tokenFile = join(dir, 'fortigate-token');
  writeFileSync(tokenFile, `${FORTIGATE_TEST_TOKEN}\n`, { mode: 0o600 });
  for (const file of readdirSync(samplesDir).filter((f) => f.endsWith('.yaml'))) {
    const text = readFileSync(join(samplesDir, file), 'utf8')
      .replace('$schema=../schema/tenant.schema.json', `$schema=${join(samplesDir, '../schema/tenant.schema.json')}`)
      .replace('url: https://198.51.100.10', `url: ${fakes.urls.opnsense}`)
      .replace('url: https://203.0.113.1', `url: ${fakes.urls.fortigate}`)
      .replace('file:/run/secrets/rheinwerk-fortigate-token', `file:${tokenFile}`);
    writeFileSync(join(tenantsDir, file), text);
  }
  return { tenantsDir, env: { ...VENDOR_TEST_SECRETS } };
}

/**
 * The environment of the production entries (`engine/workerProcess.ts`, `engine/apiProcess.ts`) in a test: the test's Temporal
 * server and task queue, the vendor test tenants pointed at the fakes, their secrets, and a plain test SMTP server.
 */
export function vendorEngineProcessEnv(spec: {
  temporal: { address: string; namespace: string; taskQueue: string };
  dir: string;
  tenantsDir: string;
  secretEnv: Record<string, string>;
  fakes: Pick<VendorFakes, 'endpoints'>;
  smtpPort: number;
  rulesDir: string;
}): Record<string, string> {
  const { temporal, dir, tenantsDir, secretEnv, fakes, smtpPort, rulesDir } = spec;
  return {
    ...secretEnv,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: temporal.taskQueue,
    SOAR_DATA_DIR: join(dir, 'data'),
    SOAR_TENANTS_DIR: tenantsDir,
    SOAR_RULES_DIR: rulesDir,
    SOAR_GRAPH_BASE_URL: fakes.endpoints.graphBaseUrl,
    SOAR_ENTRA_AUTHORITY_HOST: fakes.endpoints.authorityHost,
    SOAR_DEFENDER_BASE_URL: fakes.endpoints.defenderBaseUrl,
    SOAR_SMTP_HOST: '127.0.0.1',
    SOAR_SMTP_PORT: String(smtpPort),
    SOAR_SMTP_SECURITY: 'none',
  };
}
