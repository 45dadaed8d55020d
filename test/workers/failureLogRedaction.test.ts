/**
 * Personal data never reaches a log line: the Temporal SDK logs failed activities, failed workflow tasks and failed
 * workflows with their error's text and stack, which may name the account and the host an alert is about. A worker
 * process with the production logging set-up (infra/temporal/workerRuntime.ts) keeps those lines but not the texts.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startEngineProcess, type EngineProcess } from '../support/engineProcess';
import { testTemporal } from '../support/testEnv';
import { waitFor } from '../support/waitFor';

const UPN = 'max.mustermann@nordwind-handel.de';
const HOST = 'ws-fin-0042.nordwind.local';

let worker: EngineProcess | undefined;
let connection: Connection;
let client: Client;
const taskQueue = `failure-logs-${randomUUID()}`;

beforeAll(async () => {
  connection = await Connection.connect({ address: testTemporal().address });
  client = new Client({ connection, namespace: testTemporal().namespace });
  worker = await startEngineProcess({ entry: 'test/support/failureLogging/failingWorkerProcess.ts', readyWhen: '"worker running"', env: { SOAR_FAILING_TASK_QUEUE: taskQueue } });
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await connection?.close();
});

function logLines(): Record<string, unknown>[] {
  return (worker?.output() ?? '')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('a failed activity, a failed workflow task and a failed workflow are logged with their error type but without the account or host their texts name', async () => {
  const taskFailing = await client.workflow.start('workflowTaskFailsNaming', { taskQueue, workflowId: `task-fails-${randomUUID()}`, args: [UPN, HOST] });
  const failing = await client.workflow.start('workflowFailsNaming', { taskQueue, workflowId: `fails-${randomUUID()}`, args: [UPN, HOST] });
  await expect(failing.result()).rejects.toBeInstanceOf(WorkflowFailedError);

  const wanted = ['Activity failed', 'Failing workflow task', 'Workflow failed'];
  const lines = await waitFor(async () => logLines(), (ls) => wanted.every((m) => ls.some((l) => l.message === m)), `the lines ${wanted.join(', ')}`, 60_000);
  await taskFailing.terminate('the test has seen the workflow task fail');

  // The failures did carry the personal data: the history (encrypted in production) keeps it, the log must not.
  const events = (await taskFailing.fetchHistory()).events ?? [];
  const taskFailure = events.find((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
  expect(taskFailure?.workflowTaskFailedEventAttributes?.failure?.message).toContain(UPN);

  const output = worker?.output() ?? '';
  for (const secret of [UPN, HOST, 'max.mustermann', 'ws-fin-0042']) expect(output.toLowerCase()).not.toContain(secret);
  // What failed, and with which failure type, is still there for the operator.
  expect(lines.find((l) => l.message === 'Activity failed')).toMatchObject({ level: 'warn', activityType: 'lookUpAccount', error: { name: 'ApplicationFailure', type: 'VendorUnavailable' } });
  // The workflow's error reaches the logger copied out of the workflow sandbox, as a plain Error: its failure type stays in the history.
  expect(lines.find((l) => l.message === 'Workflow failed')).toMatchObject({ level: 'warn', workflowType: 'workflowFailsNaming', error: { name: 'Error' } });
  expect(lines.find((l) => l.message === 'Failing workflow task')).toMatchObject({ level: 'warn', sdkComponent: 'core', failure: { name: 'Failure' } });
}, 120_000);
