/**
 * SOAR_WORKFLOW_HEAP_MIB (infra/temporal/workflowThreads.ts, docs/operations.md): a workflow thread whose live heap
 * reaches its limit ends, the worker fails with an error that says so instead of hanging, and nothing is lost: a worker
 * that polls again takes the same workflows over and finishes them.
 */
import { runScript } from '../support/runScript';
import { testTemporal } from '../support/testEnv';

test('a workflow thread past its heap limit fails the worker with an out-of-memory error; another worker finishes its workflows', async () => {
  const { address, namespace } = testTemporal();
  const probe = await runScript('test/workers/heapLimitProbe.ts', [address, namespace]);
  expect(probe).toMatchObject({ code: 0 });
  // The SDK's bundler prints its own lines too; the probe's result is the line it marks.
  const line = probe.stdout.split('\n').find((l) => l.startsWith('probe: ')) ?? '';
  const outcome = JSON.parse(line.slice('probe: '.length)) as { limitedWorker: { error: string; state: string }; results: number[]; logged: string[] };
  expect(outcome.limitedWorker).toEqual({ error: expect.stringMatching(/Workflow Worker Thread exited prematurely.*ERR_WORKER_OUT_OF_MEMORY|reaching memory limit/), state: 'FAILED' });
  expect(outcome.logged.join('\n')).toMatch(/memory limit/);
  expect(outcome.results).toEqual([24 * 131_072, 24 * 131_072, 24 * 131_072, 24 * 131_072]);
}, 120_000);
