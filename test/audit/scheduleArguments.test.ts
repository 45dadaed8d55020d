/**
 * GDPR R14: the schedules a worker sets up (R4 leak checks, R14 purge, R3 Graph pulls) carry tenants and contacts'
 * e-mail addresses in their arguments; they are stored encrypted with the engine's payload codec like any payload.
 */
import { Connection } from '@temporalio/client';
import { join } from 'node:path';
import { loadTenantDirectory } from '../../domain/tenant/loadTenants';
import { prepareEngineNamespace } from '../../infra/temporal/engineNamespace';
import { leakCheckScheduleId } from '../../infra/temporal/leakCheckSchedule';
import { KEY_ID_METADATA } from '../../infra/crypto/tenantPayloadCodec';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';

let engine: TestEngine;
let raw: Connection;
beforeAll(async () => {
  engine = await startTestEngine({ ownNamespace: true });
  raw = await Connection.connect({ address: testTemporal().address });
});
afterAll(async () => {
  await raw?.close();
  await engine?.stop();
});

test('GDPR R4 R14 a schedule\'s arguments are stored encrypted under the tenant\'s key; the engine reads them back', async () => {
  const { namespace } = engine.client.options;
  const tenants = loadTenantDirectory(join(REPO, 'config/tenants')).all();
  await prepareEngineNamespace({
    connection: { address: testTemporal().address },
    namespace,
    taskQueue: engine.taskQueue,
    retentionDays: 90,
    tenants,
    graphPull: { intervalMinutes: 5, blockedReason: () => 'no Graph secrets in this test' },
    payloadCodec: engine.payloadCodec,
  });

  const stored = await raw.workflowService.describeSchedule({ namespace, scheduleId: leakCheckScheduleId('nordwind-handel') });
  const [argument] = stored.schedule?.action?.startWorkflow?.input?.payloads ?? [];
  expect(Buffer.from(argument?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
  expect(Buffer.from(argument?.metadata?.[KEY_ID_METADATA] ?? []).toString()).toBe('nordwind-handel/v1');
  expect(Buffer.from(argument?.data ?? []).toString('latin1')).not.toContain('j.becker@nordwind-handel.example');

  const read = await engine.client.schedule.getHandle(leakCheckScheduleId('nordwind-handel')).describe();
  expect(read.action.type === 'startWorkflow' ? read.action.args : []).toEqual([expect.objectContaining({ tenantId: 'nordwind-handel', recipients: expect.arrayContaining(['j.becker@nordwind-handel.example']) })]);
});
