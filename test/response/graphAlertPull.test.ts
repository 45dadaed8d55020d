/** The M365 alert pull (issue 6): alerts_v2 since a watermark, every nextLink page, no duplicates on overlap; through the real Graph client against the fake. */
import { pullAlertsSince, timeKey, type GraphAlertWatermark } from '../../activities/intake/graphAlertPull';
import { createGraphSession } from '../../activities/response/graph/graphSession';
import { MUELLER, startResponseHarness, type ResponseHarness } from './responseHarness';

const SINCE = '2026-11-20T00:00:00Z';

let h: ResponseHarness;
beforeAll(async () => {
  h = await startResponseHarness();
});
afterAll(async () => h.close());
beforeEach(() => h.reset());

const pull = (watermark: GraphAlertWatermark | null) => pullAlertsSince(createGraphSession(h.deps, MUELLER), watermark, SINCE);
const listings = () => h.fakes.requests('graph').filter((r) => r.method === 'GET' && r.path === '/v1.0/security/alerts_v2');

test('the first pull reads every page from the start date and sets the watermark to the newest alert', async () => {
  for (let i = 1; i <= 5; i++) h.fakes.graph.putListedAlert({ id: `alert-${i}`, lastUpdateDateTime: `2026-11-26T10:0${i}:00Z`, title: `Alert ${i}` });
  h.fakes.graph.putListedAlert({ id: 'too-old', lastUpdateDateTime: '2026-11-01T00:00:00Z' });

  const result = await pull(null);

  expect(result.alerts.map((a) => a.id).sort()).toEqual(['alert-1', 'alert-2', 'alert-3', 'alert-4', 'alert-5']);
  expect(result.pages).toBe(3);
  expect(result.watermark).toEqual({ lastUpdateDateTime: '2026-11-26T10:05:00Z', idsAtWatermark: ['alert-5'] });
  expect(listings()[0]?.query).toMatchObject({ $filter: `lastUpdateDateTime ge ${SINCE}`, $top: '100' });
  expect(listings()).toHaveLength(3);
});

test('a pull resumes from the stored watermark: the overlap at the watermark instant is not delivered twice, updates and new alerts are', async () => {
  h.fakes.graph.putListedAlert({ id: 'a', lastUpdateDateTime: '2026-11-26T10:00:00Z' });
  h.fakes.graph.putListedAlert({ id: 'b', lastUpdateDateTime: '2026-11-26T11:00:00Z' });
  const first = await pull(null);
  expect(first.alerts.map((a) => a.id).sort()).toEqual(['a', 'b']);

  // Nothing new: the overlap (b, at the watermark) is skipped and the watermark stays.
  const again = await pull(first.watermark);
  expect(again.alerts).toEqual([]);
  expect(again.watermark).toEqual(first.watermark);
  expect(listings().at(-1)?.query.$filter).toBe('lastUpdateDateTime ge 2026-11-26T11:00:00Z');

  // c arrives in the same instant as b (after b was pulled), a is updated, d is new.
  h.fakes.graph.putListedAlert({ id: 'c', lastUpdateDateTime: '2026-11-26T11:00:00Z' });
  h.fakes.graph.putListedAlert({ id: 'a', lastUpdateDateTime: '2026-11-26T12:00:00Z' });
  h.fakes.graph.putListedAlert({ id: 'd', lastUpdateDateTime: '2026-11-26T12:00:00Z' });
  const next = await pull(again.watermark);
  expect(next.alerts.map((a) => `${a.id}@${a.lastUpdateDateTime}`).sort()).toEqual(['a@2026-11-26T12:00:00Z', 'c@2026-11-26T11:00:00Z', 'd@2026-11-26T12:00:00Z']);
  expect(next.watermark).toEqual({ lastUpdateDateTime: '2026-11-26T12:00:00Z', idsAtWatermark: expect.arrayContaining(['a', 'd']) });
  expect((await pull(next.watermark)).alerts).toEqual([]);
});

test('a throttled page is retried by the Graph client and the pull completes', async () => {
  for (let i = 1; i <= 3; i++) h.fakes.graph.putListedAlert({ id: `t-${i}`, lastUpdateDateTime: `2026-11-26T10:0${i}:00Z` });
  h.fakes.graph.failNext(1, { status: 429, retryAfter: '0' }, 'alerts_v2');
  const result = await pull(null);
  expect(result.alerts).toHaveLength(3);
});

test('timestamps with different fractional digits compare by time', () => {
  expect(timeKey('2026-11-26T10:00:00Z') < timeKey('2026-11-26T10:00:00.0000001Z')).toBe(true);
  expect(timeKey('2026-11-26T10:00:00.5Z')).toBe(timeKey('2026-11-26T10:00:00.5000000Z'));
});
