/** Sigma correlation rules over raw events (R3, R12): the port-scan value_count rule opens one incident per source address and window through signal-with-start. */
import request from 'supertest';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

const PORT_SCAN_RULE = '6a0f3d85-2e4c-4b71-9c58-1f7e2a4d9b36';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => {
  await engine?.stop();
});

/** An inbound connection OPNsense blocked, as a log shipper sends the filterlog fields. */
function blocked(src: string, port: number, second: number) {
  const at = new Date(Date.UTC(2026, 10, 24, 9, 0, second)).toISOString();
  return { '@timestamp': at, rulenr: '7', interface: 'vtnet0', action: 'block', dir: 'in', ipversion: '4', protoname: 'tcp', src, dst: '192.0.2.10', srcport: String(50000 + port), dstport: String(port) };
}

const post = (events: unknown[]) =>
  request(engine.app)
    .post('/v1/events?source=opnsense-fw1')
    .set('Authorization', `Bearer ${engine.key('ingest', 'mueller-logistik')}`)
    .set('Content-Type', 'application/x-ndjson')
    .send(events.map((event) => JSON.stringify(event)).join('\n'));

test('R3 R12 a port scan across two batches opens one incident by the Sigma value_count correlation; its base rule raises none; a re-sent batch is not counted twice', async () => {
  const scanner = '198.51.100.77';
  // None of the remote administration ports, whose blocked-remote-admin-inbound rule raises incidents of its own.
  const ports = [21, 25, 80, 110, 143, 443, 993, 995, 1433, 3306, 8080, 8443];
  const first = await post(ports.slice(0, 6).map((port, i) => blocked(scanner, port, i)));
  // Nine ports from another address stay below the condition (gte: 10 distinct dst_port).
  const quiet = await post(ports.slice(0, 9).map((port, i) => blocked('198.51.100.78', port, i)));
  const secondEvents = ports.slice(6).map((port, i) => blocked(scanner, port, 6 + i));
  const second = await post(secondEvents);
  const again = await post(secondEvents);
  expect([first.status, quiet.status, second.status, again.status]).toEqual([200, 200, 200, 200]);
  expect(first.body).toMatchObject({ accepted: 6, alerts: [] });
  expect(quiet.body).toMatchObject({ accepted: 9, alerts: [] });
  // The 10th, 11th and 12th distinct ports are the events at which the correlation holds.
  expect(second.body.alerts).toEqual([
    expect.objectContaining({ ruleId: PORT_SCAN_RULE, level: 'medium', entity: { field: 'src_ip', value: scanner }, hits: 3, windowStart: '2026-11-24T09:00:00.000Z', outcome: 'signalled' }),
  ]);
  expect(again.body.alerts).toEqual([expect.objectContaining({ alertId: second.body.alerts[0].alertId, hits: 3 })]);
  const alertId: string = second.body.alerts[0].alertId;
  const alert = await waitFor(
    () => request(engine.app).get(`/v1/alerts/${alertId}`).set('Authorization', `Bearer ${engine.key('analyst')}`),
    (r) => r.status === 200 && r.body.severity !== null && r.body.correlation?.hits === 3,
    'the port-scan incident classified with its three hits',
  );
  expect(alert.body).toMatchObject({
    severity: 'medium',
    classification: { decidedBy: { kind: 'rule', ruleId: PORT_SCAN_RULE } },
    correlation: { ruleId: PORT_SCAN_RULE, entity: { field: 'src_ip', value: scanner }, hits: 3, windowEnd: '2026-11-24T09:05:00.000Z' },
  });
  const runs = await engine.client.workflow.count(`WorkflowId = '${alertId}'`);
  expect(runs.count).toBe(1);
});
