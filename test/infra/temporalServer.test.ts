/** The embedded Temporal server as the engine prepares it: retention (R14) and search attributes. */
import { Connection } from '@temporalio/client';
import { ENGINE_SEARCH_ATTRIBUTES } from '../../domain/searchAttributes';
import { prepareNamespace } from '../../infra/temporal/prepareNamespace';
import { testTemporal } from '../support/testEnv';

let connection: Connection;
beforeAll(async () => {
  connection = await Connection.connect({ address: testTemporal().address });
});
afterAll(async () => {
  await connection?.close();
});

test('R14 the namespace keeps closed alert histories for the longest agreed retention (rheinwerk 180 days), not the dev server default of 24 h', async () => {
  const { namespace } = testTemporal();
  const description = await connection.workflowService.describeNamespace({ namespace });
  expect(Number(description.config?.workflowExecutionRetentionTtl?.seconds)).toBe(180 * 86_400);
});

test('the namespace has every search attribute the engine indexes alerts by', async () => {
  const { namespace } = testTemporal();
  const attributes = await connection.operatorService.listSearchAttributes({ namespace });
  for (const key of ENGINE_SEARCH_ATTRIBUTES) expect(Object.keys(attributes.customAttributes ?? {})).toContain(key.name);
});

test('preparing a namespace is idempotent and creates one that did not exist', async () => {
  const namespace = `soar-prepare-${Date.now()}`;
  await prepareNamespace({ connection, namespace, retentionDays: 30 });
  await prepareNamespace({ connection, namespace, retentionDays: 30 });
  const description = await connection.workflowService.describeNamespace({ namespace });
  expect(Number(description.config?.workflowExecutionRetentionTtl?.seconds)).toBe(30 * 86_400);
});
