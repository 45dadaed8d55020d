/**
 * GDPR R14: the schedules a worker sets up (R4 leak checks, R14 purge, R3 Graph pulls, R15 fair use) carry tenants and contacts'
 * e-mail addresses in their arguments; they are stored encrypted with the engine's payload codec like any payload.
 */
import { Connection } from '@temporalio/client';
import { join } from 'node:path';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { prepareEngineNamespace } from '../../infra/temporal/engineNamespace';
import { leakCheckScheduleId } from '../../infra/temporal/leakCheckSchedule';
import { FAIR_USE_SCHEDULE_ID } from '../../infra/temporal/fairUseSchedule';
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

test('GDPR R4 R14 R15 a schedule\'s arguments are stored encrypted under the tenant\'s key; the engine reads them back', async () => {
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
    socManagement: ['soc-leitung@soc-provider.example'],
  });

  const stored = await raw.workflowService.describeSchedule({ namespace, scheduleId: leakCheckScheduleId('nordwind-handel') });
  const [argument] = stored.schedule?.action?.startWorkflow?.input?.payloads ?? [];
  expect(Buffer.from(argument?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
  expect(Buffer.from(argument?.metadata?.[KEY_ID_METADATA] ?? []).toString()).toBe('nordwind-handel/v1');
  expect(Buffer.from(argument?.data ?? []).toString('latin1')).not.toContain('j.becker@nordwind-handel.example');

  // R15: the fair-use check carries the SOC management's addresses, encrypted like the rest.
  const fairUse = await raw.workflowService.describeSchedule({ namespace, scheduleId: FAIR_USE_SCHEDULE_ID });
  const [fairUseArgument] = fairUse.schedule?.action?.startWorkflow?.input?.payloads ?? [];
  expect(Buffer.from(fairUseArgument?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
  expect(Buffer.from(fairUseArgument?.data ?? []).toString('latin1')).not.toContain('soc-leitung@soc-provider.example');
  const fairUseRead = await engine.client.schedule.getHandle(FAIR_USE_SCHEDULE_ID).describe();
  expect(fairUseRead.action.type === 'startWorkflow' ? fairUseRead.action.args : []).toEqual([expect.objectContaining({ recipients: ['soc-leitung@soc-provider.example'] })]);

  const read = await engine.client.schedule.getHandle(leakCheckScheduleId('nordwind-handel')).describe();
  expect(read.action.type === 'startWorkflow' ? read.action.args : []).toEqual([expect.objectContaining({ tenantId: 'nordwind-handel', recipients: expect.arrayContaining(['j.becker@nordwind-handel.example']) })]);
});
