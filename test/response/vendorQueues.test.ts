/**
 * Vendor calls run on their vendors' own task queues, at the configured calls per minute (a limit Temporal enforces for
 * all workers of the queue), and a tenant's burst does not hold back another tenant's call (fairness key = tenant).
 */
import { Client, Connection } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { randomUUID } from 'node:crypto';
import type { ActionRequest, ActionResult, TargetFacts } from '../../domain/response/actionContract';
import type { ResolvedTarget } from '../../domain/response/targets';
import { ACTIONS } from '../../domain/response/actionCatalog';
import { VENDORS, vendorActivityNames } from '../../domain/response/vendorQueues';
import { createVendorWorkers, runTogether, type TenantCallLimits, type VendorCallLimits } from '../../workers/vendorWorkers';
import { applyFairnessKeyRateLimit } from '../../infra/temporal/fairnessKeyRateLimit';
import { testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';
import type { VendorCallsInput } from './vendorQueues/vendorCallsWorkflow';

interface Call {
  activity: string;
  tenantId: string;
  taskQueue: string;
  at: number;
}

const ACTIVITY_QUEUE = temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY;
const plain: PayloadCodec = { encode: async (payloads) => payloads, decode: async (payloads) => payloads };
let bundle: WorkflowBundle;
let connection: Connection;
let client: Client;
let native: NativeConnection;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./vendorQueues/vendorCallsWorkflow'), logger: quiet() });
  const { address, namespace } = testTemporal();
  connection = await Connection.connect({ address });
  client = new Client({ connection, namespace });
  native = await NativeConnection.connect({ address });
});

afterAll(async () => {
  await connection.close();
  await native.close();
});

/** The alert worker (test workflow only) and the vendor workers with fakes that record when and where they ran. */
async function withEngine(
  limits: Partial<VendorCallLimits>,
  body: (engine: { taskQueue: string; calls: Call[]; run(input: VendorCallsInput): Promise<string> }) => Promise<void>,
  tenantCallsPerMinute: TenantCallLimits = {},
) {
  const { namespace } = testTemporal();
  const taskQueue = `vendor-test-${randomUUID()}`;
  const calls: Call[] = [];
  const record = (activity: string, tenantId: string) => calls.push({ activity, tenantId, taskQueue: Context.current().info.taskQueue, at: Date.now() });
  const activities = {
    async defenderFindMachine(request: ActionRequest): Promise<ActionResult> {
      record('defenderFindMachine', request.tenantId);
      return { outcome: 'done', detail: 'found', vendorReference: null, outputs: {} };
    },
    async lookUpTarget({ tenantId, target }: { tenantId: string; target: ResolvedTarget }): Promise<TargetFacts> {
      record('lookUpTarget', tenantId);
      return { target, groups: [], found: true };
    },
  };
  const alertWorker = await Worker.create({ connection: native, namespace, taskQueue, workflowBundle: { code: bundle.code } });
  const vendorWorkers = await createVendorWorkers({
    connection: native,
    namespace,
    taskQueue,
    activities,
    payloadCodec: plain,
    callsPerMinute: { graph: 60_000, defender: 60_000, firewall: 60_000, hibp: 60_000, virustotal: 60_000, abuseipdb: 60_000, misp: 60_000, ...limits },
    tenantCallsPerMinute,
  });
  const running = runTogether([alertWorker, ...vendorWorkers]);
  try {
    await body({
      taskQueue,
      calls,
      run: async (input) => {
        const workflowId = `vendor-calls-${randomUUID()}`;
        await client.workflow.start('vendorCallsWorkflow', { taskQueue, workflowId, args: [input] });
        return workflowId;
      },
    });
  } finally {
    alertWorker.shutdown();
    await running;
  }
}

test('every catalogue activity belongs to exactly one vendor queue; the look-up is served by Graph and Defender', () => {
  const served = VENDORS.flatMap((vendor) => vendorActivityNames(vendor));
  for (const spec of Object.values(ACTIONS)) expect(served.filter((name) => name === spec.activity)).toHaveLength(1);
  expect(vendorActivityNames('graph')).toContain('lookUpTarget');
  expect(vendorActivityNames('defender')).toContain('lookUpTarget');
  expect(vendorActivityNames('hibp')).toEqual(['checkBreachedDomain']);
});

test('vendor calls are scheduled on the vendor task queues with the tenant as fairness key, and run there', async () => {
  await withEngine({}, async ({ taskQueue, calls, run }) => {
    const workflowId = await run({ tenantId: 'nordwind-handel', calls: 1, lookUpUser: true });
    await client.workflow.getHandle(workflowId).result();
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const scheduled = (history.events ?? []).flatMap((event) => (event.activityTaskScheduledEventAttributes ? [event.activityTaskScheduledEventAttributes] : []));
    expect(scheduled.map((s) => [s.activityType?.name, s.taskQueue?.name, s.priority?.fairnessKey]).sort()).toEqual([
      ['defenderFindMachine', `${taskQueue}.vendor.defender`, 'nordwind-handel'],
      ['lookUpTarget', `${taskQueue}.vendor.graph`, 'nordwind-handel'],
    ]);
    expect(calls.map((c) => [c.activity, c.taskQueue]).sort()).toEqual([
      ['defenderFindMachine', `${taskQueue}.vendor.defender`],
      ['lookUpTarget', `${taskQueue}.vendor.graph`],
    ]);
  });
});

test('Defender calls are dispatched no faster than its calls per minute (here 120/min: 2 per second)', async () => {
  await withEngine({ defender: 120 }, async ({ calls, run }) => {
    const workflowId = await run({ tenantId: 'nordwind-handel', calls: 10 });
    await client.workflow.getHandle(workflowId).result();
    const times = calls.map((c) => c.at).sort((a, b) => a - b);
    // The server's limiter lets a small burst through at once; without the limit all ten come at once.
    expect(times).toHaveLength(10);
    expectSpacedAtMost(times, 2);
  });
});

test('fairness: a burst of one tenant does not hold back another tenant\'s call on the same vendor queue', async () => {
  await withEngine({ defender: 240 }, async ({ calls, run }) => {
    const burst = await run({ tenantId: 'tenant-a', calls: 24 });
    await waitFor(async () => calls.length, (n) => n >= 1, 'the burst to start');
    const startedAt = Date.now();
    const single = await run({ tenantId: 'tenant-b', calls: 1 });
    await client.workflow.getHandle(single).result();
    const servedB = calls.find((c) => c.tenantId === 'tenant-b');
    const aBeforeB = calls.filter((c) => c.tenantId === 'tenant-a' && c.at > startedAt && c.at <= (servedB?.at ?? 0)).length;
    await client.workflow.getHandle(burst).result();
    const aLeftWhenBStarted = calls.filter((c) => c.tenantId === 'tenant-a' && c.at > startedAt).length;
    // First in, first out would serve B after A's whole backlog; fair dispatch serves it among the next few.
    expect(aLeftWhenBStarted).toBeGreaterThanOrEqual(15);
    expect(aBeforeB).toBeLessThanOrEqual(6);
  });
});

/** At `perSecond` the i-th call comes no sooner than (i - burst) / perSecond after the first (burst 3, timer slack 10 %). */
function expectSpacedAtMost(times: number[], perSecond: number) {
  const first = times[0] ?? 0;
  times.forEach((at, index) => expect(at - first).toBeGreaterThanOrEqual(((index - 3) * 900) / perSecond));
}

test('a hard limit per tenant (here 120 Defender calls per minute) holds each tenant to 2 per second, not the whole queue', async () => {
  await withEngine(
    { defender: 60_000 },
    async ({ calls, run }) => {
      const [a, b] = await Promise.all([run({ tenantId: 'tenant-a', calls: 10 }), run({ tenantId: 'tenant-b', calls: 10 })]);
      await Promise.all([client.workflow.getHandle(a).result(), client.workflow.getHandle(b).result()]);
      const timesOf = (tenantId: string) => calls.filter((c) => c.tenantId === tenantId).map((c) => c.at).sort((x, y) => x - y);
      for (const tenantId of ['tenant-a', 'tenant-b']) {
        expect(timesOf(tenantId)).toHaveLength(10);
        expectSpacedAtMost(timesOf(tenantId), 2);
      }
      // The limit is per tenant: both ran side by side. Held to 2 per second for the queue as a whole, the twenty
      // calls would need at least (20 - 1 - 3) x 0.5 s = 8 s; per tenant they need about 4.5 s.
      const all = calls.map((c) => c.at).sort((x, y) => x - y);
      expect((all.at(-1) ?? 0) - (all[0] ?? 0)).toBeLessThan(7_000);
    },
    { defender: 120 },
  );
});

test('the engine removes a per-tenant limit it set once the configuration drops it, and keeps one an operator set', async () => {
  const { namespace } = testTemporal();
  const taskQueue = `tenant-limit-${randomUUID()}`;
  const described = async () =>
    (await native.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: ACTIVITY_QUEUE, reportConfig: true })).config?.fairnessKeysRateLimitDefault ?? null;

  await applyFairnessKeyRateLimit({ connection: native, namespace, taskQueue, perSecond: 2, reason: '120 defender calls per minute per tenant' });
  await expect(described()).resolves.toMatchObject({ rateLimit: { requestsPerSecond: 2 }, metadata: { reason: 'soar-engine: 120 defender calls per minute per tenant' } });
  await applyFairnessKeyRateLimit({ connection: native, namespace, taskQueue, perSecond: null, reason: 'none' });
  // The task queue's config is read from its partition a moment after an update: wait for the removal to show.
  await waitFor(async () => (await described())?.rateLimit ?? null, (limit) => limit === null, 'the engine limit removed');

  await native.workflowService.updateTaskQueueConfig({
    namespace,
    taskQueue,
    taskQueueType: ACTIVITY_QUEUE,
    identity: 'operator',
    updateFairnessKeyRateLimitDefault: { rateLimit: { requestsPerSecond: 0.5 }, reason: 'incident 4711: tenant floods Defender' },
  });
  await applyFairnessKeyRateLimit({ connection: native, namespace, taskQueue, perSecond: null, reason: 'none' });
  expect(await described()).toMatchObject({ rateLimit: { requestsPerSecond: 0.5 }, metadata: { reason: 'incident 4711: tenant floods Defender' } });
});

function quiet() {
  const noop = () => undefined;
  return { trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => process.stderr.write(`[bundle] ${m}\n`), log: noop };
}
