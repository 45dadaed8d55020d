/** soar_approvals_waiting on the API's /metrics: counted from running playbook runs, reused between close scrapes. */
import { createApiMetrics } from '../../api/http/metrics';
import { countApprovalsWaiting } from '../../api/playbooks/approvalsWaiting';
import { startTestEngine } from '../support/testEngine';

test('the gauge shows the count, asks again only after the cache time, and keeps the last count while the engine is unreachable', async () => {
  let asked = 0;
  const metrics = createApiMetrics({ approvalsWaiting: async () => ++asked * 2, waitingCacheMs: 60_000 });
  expect(await metrics.registry.metrics()).toMatch(/^soar_approvals_waiting 2$/m);
  expect(await metrics.registry.metrics()).toMatch(/^soar_approvals_waiting 2$/m);
  expect(asked).toBe(1);
  let down = false;
  const flaky = createApiMetrics({ approvalsWaiting: async () => (down ? Promise.reject(new Error('engine down')) : 5), waitingCacheMs: 0 });
  expect(await flaky.registry.metrics()).toMatch(/^soar_approvals_waiting 5$/m);
  down = true;
  expect(await flaky.registry.metrics()).toMatch(/^soar_approvals_waiting 5$/m);
});

test('the visibility query of running playbook runs is accepted by the server (none running in a fresh namespace)', async () => {
  const engine = await startTestEngine({ ownNamespace: true });
  try {
    const namespace = engine.client.options.namespace;
    expect(await countApprovalsWaiting(engine.client, namespace)()).toBe(0);
  } finally {
    await engine.stop();
  }
});
