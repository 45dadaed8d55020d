/**
 * GDPR R18 failure messages and stack traces are payloads too: the default failure converter with
 * `encodeCommonAttributes` moves them into an encoded attribute that the tenant's key encrypts. Temporal's database
 * holds "Encoded failure"; auditors read the real message through the codec.
 */
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { randomUUID } from 'node:crypto';
import { historyToJson } from '../../infra/audit/historyJson';
import { decodeHistory, keyIdsOf } from '../../infra/crypto/historyPayloads';
import { tenantWorkflowId } from '../../infra/crypto/tenantPayloadCodec';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';

const TENANT = 'nordwind-handel';
const stamp = Date.now();
const UPN = `j.doe-${stamp}@nordwind-handel.de`;
const HOST = `dc01-${stamp}.corp.nordwind-handel.local`;

describe('failures in workflow histories', () => {
  let engine: TestEngine;
  let rawConnection: Connection;
  let rawClient: Client;
  const workflowId = tenantWorkflowId('workorder', TENANT, `failure-${randomUUID()}`);

  beforeAll(async () => {
    engine = await startTestEngine({
      activities: (real) => ({
        ...real,
        recordWorkOrder: async () => {
          // The first attempt fails retryably (kept as the next attempt's last failure), the second for good.
          if (Context.current().info.attempt === 1) throw new Error(`Host ${HOST} did not answer`);
          throw ApplicationFailure.nonRetryable(`Account ${UPN} could not be disabled on ${HOST}`, 'VendorRefused');
        },
      }),
    });
    rawConnection = await Connection.connect({ address: testTemporal().address });
    rawClient = new Client({ connection: rawConnection, namespace: testTemporal().namespace });
    const handle = await engine.client.workflow.start('billableWorkOrderWorkflow', {
      workflowId,
      taskQueue: engine.taskQueue,
      args: [{ workOrderId: workflowId, tenantId: TENANT, alertId: null, requestedBy: 'analyst', requestedAt: new Date().toISOString(), description: 'x', reason: 'R3' }],
    });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await rawConnection?.close();
  });

  test('GDPR R18 the raw history (without the codec) holds no UPN or host name of a failed activity, in messages or stack traces', async () => {
    const history = await rawClient.workflow.getHandle(workflowId).fetchHistory();
    const text = JSON.stringify(historyToJson(history));
    expect(text).toContain('ACTIVITY_TASK_FAILED');
    expect(text).toContain('WORKFLOW_EXECUTION_FAILED');
    for (const secret of [UPN, HOST, 'j.doe-', 'dc01-']) expect(text).not.toContain(secret);
    expect(text).toContain('Encoded failure');
    // The encoded failure texts are under the tenant's key like every other payload of its workflow (crypto-shredding, R14).
    expect(Object.keys(keyIdsOf(history))).toEqual([`${TENANT}/v1`]);
  });

  test('R18 through the codec an auditor reads the real failure message; the client sees it too', async () => {
    const history = await decodeHistory(await rawClient.workflow.getHandle(workflowId).fetchHistory(), engine.payloadCodec);
    const failed = history.events?.find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure;
    expect(failed?.message).toBe(`Account ${UPN} could not be disabled on ${HOST}`);
    const started = history.events?.find((e) => e.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes;
    expect(started?.lastFailure?.message).toBe(`Host ${HOST} did not answer`);
    const error = await engine.client.workflow.getHandle(workflowId).result().catch((e: unknown) => e);
    expect(String(((error as WorkflowFailedError).cause?.cause as Error | undefined)?.message)).toContain(UPN);
  });
});
