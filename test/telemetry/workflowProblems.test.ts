/** GET /v1/operations/problems: failed or stuck workflows in one place, with the reason, for analysts and admins. */
import { ApplicationFailure } from '@temporalio/common';
import request from 'supertest';
import { alertIdFor } from '../../domain/alertIdentity';
import { benignAlert, sampleAlert } from '../support/alerts';
import { startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

let engine: TestEngine;
const STUCK_TITLE = 'Read model outage for the problems test';

beforeAll(async () => {
  engine = await startTestEngine({
    ownNamespace: true,
    // One alert's publication keeps failing, as a vendor answering 500 would: Temporal retries it without end. A
    // package-1 alert publishes in its one step (`analyseClassifyPublish`): after its local attempts, the regular
    // activity of the same name retries.
    activities: (real) => ({
      ...real,
      analyseClassifyPublish: async (input) => {
        if (input.status.title === STUCK_TITLE) throw ApplicationFailure.retryable('the read model answered 500 (disk full)', 'ReadModelUnavailable');
        return real.analyseClassifyPublish(input);
      },
    }),
  });
});
afterAll(async () => {
  await engine?.stop();
});

const problems = async (key: string, query = '') => request(engine.app).get(`/v1/operations/problems${query}`).set('Authorization', `Bearer ${key}`);

/** Every problem, following the cursor through the closed and the running phase. */
async function allProblems(key: string): Promise<{ workflowId: string; kind: string; reason: string; activityType: string | null; attempt: number | null }[]> {
  const items = [];
  let cursor: string | null = null;
  do {
    const page = await problems(key, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

test('a retrying activity and a terminated alert are listed with their reasons; customers and ingest keys are refused', async () => {
  const ingest = `Bearer ${engine.key('ingest', 'nordwind-handel')}`;
  const stuck = sampleAlert({ title: STUCK_TITLE });
  const ended = benignAlert();
  for (const alert of [stuck, ended]) expect((await request(engine.app).post('/v1/alerts').set('Authorization', ingest).send(alert)).status).toBe(202);
  await engine.client.workflow.getHandle(alertIdFor(ended)).terminate('stopped by the operator for the test');

  const analyst = engine.key('analyst');
  const found = await waitFor(
    () => allProblems(analyst),
    (list) => list.some((p) => p.workflowId === alertIdFor(stuck)) && list.some((p) => p.workflowId === alertIdFor(ended)),
    'both problems',
  );
  expect(found.find((p) => p.workflowId === alertIdFor(stuck))).toMatchObject({
    kind: 'activity_retrying',
    activityType: 'analyseClassifyPublish',
    reason: expect.stringContaining('the read model answered 500 (disk full)'),
    tenantId: 'nordwind-handel',
  });
  expect(found.find((p) => p.workflowId === alertIdFor(stuck))?.attempt).toBeGreaterThan(1);
  expect(found.find((p) => p.workflowId === alertIdFor(ended))).toMatchObject({ kind: 'terminated', reason: 'stopped by the operator for the test', workflowType: 'alertWorkflow' });

  expect((await problems(engine.key('admin'))).status).toBe(200);
  expect((await problems(engine.key('customer', 'nordwind-handel'))).status).toBe(403);
  expect((await problems(engine.key('ingest', 'nordwind-handel'))).status).toBe(403);
  expect((await problems(analyst, '?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
  const openApi = await request(engine.app).get('/openapi.json');
  expect(openApi.body.paths['/v1/operations/problems']).toBeDefined();
});
