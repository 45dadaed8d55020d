/** POST /v1/events: streamed JSON and NDJSON batches from a registered source, Sigma rules over mapped fields, hits correlated into incidents. */
import { WorkflowNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { incidentIdFor } from '../../ingest/incidentId';
import { join } from 'node:path';
import { loadRuleSet } from '../../detection/sigma/ruleSet';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

const C2_EVENT_RULE = '4f0d7c2e-6a1b-4c39-9e57-2d8b1f3a6c41';
const RDP_EVENT_RULE = '9b3e1f47-0c5d-4a2e-8f16-7d4c2b9a5e03';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ eventsBodyLimitBytes: 16 * 1024 });
});
afterAll(async () => {
  await engine?.stop();
});

/** A filterlog packet line of OPNsense as raw JSON fields (what a log shipper sends). */
function filterlogEvent(fields: Record<string, string | number>) {
  return { '@timestamp': '2026-11-20T10:15:32Z', rulenr: '82', interface: 'vtnet0', action: 'block', dir: 'out', ipversion: '4', protoname: 'tcp', src: '192.168.10.23', dst: '192.0.2.80', srcport: '51234', dstport: '443', ...fields };
}

const post = (body: string, contentType: string, source = 'opnsense-fw1', key = engine.key('ingest', 'mueller-logistik')) =>
  request(engine.app).post(`/v1/events?source=${source}`).set('Authorization', `Bearer ${key}`).set('Content-Type', contentType).send(body);
const ndjson = (events: unknown[]) => events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n');
const status = (alertId: string) => request(engine.app).get(`/v1/alerts/${alertId}`).set('Authorization', `Bearer ${engine.key('analyst')}`);

describe('event batches', () => {
  test('R1 R3 R12 a JSON batch of OPNsense events: a C2 connection becomes an alert classified by a Sigma rule; a refused event names its line and field', async () => {
    const events = [
      filterlogEvent({ dst: '203.0.113.7', src: '192.168.10.31' }),
      filterlogEvent({ action: 'pass', dir: 'out', dst: '192.0.2.80' }),
      filterlogEvent({ dstport: 'https' }),
    ];
    const response = await post(JSON.stringify(events), 'application/json');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 2, refusedCount: 1, refused: [{ line: 3, field: 'dstport', reason: 'not a port number: "https"' }] });
    expect(response.body.alerts).toEqual([
      expect.objectContaining({ ruleId: C2_EVENT_RULE, level: 'high', entity: { field: 'src_ip', value: '192.168.10.31' }, hits: 1, outcome: 'signalled' }),
    ]);
    const { alertId } = response.body.alerts[0];
    expect(alertId).toMatch(/^alert\.mueller-logistik\.correlated\.[0-9a-f]{32}$/);
    const alert = await waitFor(() => status(alertId), (r) => r.status === 200 && r.body.classification !== null, 'the incident classified');
    expect(alert.body).toMatchObject({
      tenantId: 'mueller-logistik',
      source: 'opnsense-fw1',
      severity: 'high',
      classification: { decidedBy: { kind: 'rule', ruleId: C2_EVENT_RULE } },
      correlation: { ruleId: C2_EVENT_RULE, entity: { field: 'src_ip', value: '192.168.10.31' }, hits: 1, windowStart: '2026-11-20T10:15:00.000Z', windowEnd: '2026-11-20T10:30:00.000Z' },
    });
  });

  test('R12 an NDJSON batch is read line by line: a line that is not JSON and a nested value are refused with their line numbers', async () => {
    const body = ndjson([filterlogEvent({ dst: '203.0.113.9', src: '192.168.10.32' }), '{"src": ', filterlogEvent({}), { ...filterlogEvent({}), src: { ip: '192.0.2.1' } }, '', filterlogEvent({ src: 'not-an-ip' })]);
    const response = await post(body, 'application/x-ndjson');
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(2);
    expect(response.body.refused).toEqual([
      { line: 2, field: '(event)', reason: expect.stringContaining('not JSON') },
      { line: 4, field: 'src', reason: expect.stringContaining('nested objects are not supported') },
      { line: 6, field: 'src', reason: 'not an IP address: "not-an-ip"' },
    ]);
    expect(response.body.alerts).toHaveLength(1);
  });

  test('R3 hits on the same tenant, rule and entity within the window become one incident; the count is shown; a re-sent batch is not counted twice', async () => {
    const attacker = '192.0.2.201';
    const rdp = (second: number, src = attacker) => filterlogEvent({ '@timestamp': `2026-11-21T08:0${second % 10}:1${second % 10}Z`, dir: 'in', src, dst: '192.0.2.10', dstport: '3389', srcport: String(40000 + second) });
    const first = await post(ndjson([rdp(1), rdp(2), rdp(3), rdp(4)]), 'application/x-ndjson');
    const secondBody = ndjson([rdp(5), rdp(6), rdp(7), rdp(8, '192.0.2.202')]);
    const second = await post(secondBody, 'application/x-ndjson');
    const again = await post(secondBody, 'application/x-ndjson');
    expect([first.status, second.status, again.status]).toEqual([200, 200, 200]);
    const rdpAlerts = (body: { alerts: { ruleId: string; alertId: string; hits: number; entity: { value: string } }[] }) => body.alerts.filter((a) => a.ruleId === RDP_EVENT_RULE);
    expect(rdpAlerts(first.body).map((a) => a.hits)).toEqual([4]);
    const incident = rdpAlerts(first.body)[0]?.alertId;
    expect(rdpAlerts(second.body).find((a) => a.entity.value === attacker)?.alertId).toBe(incident);
    expect(rdpAlerts(second.body).find((a) => a.entity.value === '192.0.2.202')?.alertId).not.toBe(incident);
    const alert = await waitFor(() => status(incident ?? ''), (r) => r.status === 200 && r.body.correlation?.hits === 7 && r.body.severity !== null, 'seven hits counted and the incident classified');
    expect(alert.body.correlation).toMatchObject({ hits: 7, entity: { field: 'src_ip', value: attacker }, firstHitAt: '2026-11-21T08:01:11.000Z', lastHitAt: '2026-11-21T08:07:17.000Z' });
    expect(alert.body.severity).toBe('low');
    expect(alert.body.timeline.filter((e: { kind: string }) => e.kind === 'correlated_hits')).toHaveLength(2);
    const runs = await engine.client.workflow.count(`WorkflowId = '${incident}'`);
    expect(runs.count).toBe(1);
  });

  test('the event rules are Sigma firewall-taxonomy rules, apart from the alert rules', () => {
    const rules = loadRuleSet(join(__dirname, '../../detection/rules')).rules.filter((r) => r.file.startsWith('firewall-events/'));
    expect(rules.map((r) => [r.id, r.logsource])).toEqual(
      expect.arrayContaining([
        [C2_EVENT_RULE, { category: 'firewall' }],
        [RDP_EVENT_RULE, { category: 'firewall' }],
      ]),
    );
  });
});

describe('refusals: nothing started', () => {
  test('R1 a source not registered for the tenant is refused with 422 naming source', async () => {
    const response = await post(ndjson([filterlogEvent({ dst: '203.0.113.7' })]), 'application/x-ndjson', 'fortigate-fw1');
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'unregistered_source', issues: [{ field: 'source' }] });
  });

  test('R1 a source that sends alerts, not events (no field mapping for its kind), is refused with 422', async () => {
    const response = await post(ndjson([{ a: 1 }]), 'application/x-ndjson', 'edr');
    expect(response.status).toBe(422);
    expect(response.body.error.message).toContain('no field mapping');
  });

  test('R17 an ingest key cannot send events for another tenant (absent: 404); an admin key must name the tenant', async () => {
    const other = await request(engine.app).post('/v1/events?source=fortigate-fw1&tenantId=rheinwerk-maschinenbau').set('Authorization', `Bearer ${engine.key('ingest', 'mueller-logistik')}`).set('Content-Type', 'application/x-ndjson').send('{}');
    expect(other.status).toBe(404);
    const admin = await post('{}', 'application/x-ndjson', 'opnsense-fw1', engine.key('admin'));
    expect(admin.status).toBe(422);
    expect(admin.body.error.issues[0].field).toBe('tenantId');
  });

  test('415 for a body that is neither JSON nor NDJSON; 413 over the limit; 400 for a malformed JSON batch (nothing of the batch starts)', async () => {
    expect((await post('x', 'text/plain')).status).toBe(415);
    const big = ndjson(Array.from({ length: 200 }, () => filterlogEvent({ dst: '203.0.113.99', src: '192.168.99.1' })));
    const tooLarge = await post(big, 'application/x-ndjson');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('body_too_large');
    const malformed = await post(`[${JSON.stringify(filterlogEvent({ dst: '203.0.113.98', src: '192.168.99.2' }))},`, 'application/json');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
    for (const src of ['192.168.99.1', '192.168.99.2']) {
      const id = incidentIdFor('mueller-logistik', { ruleId: C2_EVENT_RULE, entity: { field: 'src_ip', value: src }, windowStart: '2026-11-20T10:15:00.000Z', windowEnd: '2026-11-20T10:30:00.000Z' });
      await expect(engine.client.workflow.getHandle(id).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    }
  });
});
