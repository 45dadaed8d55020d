/** R11: the fixed SOC contact serves "werktags" (Monday-Saturday without DE-NW holidays); routing never outranks severity for anyone else. */
import { queueOrderFor, routedAnalystAt, type QueueEntry } from '../../domain/soc/queueOrder';

const entry = (name: string, severity: QueueEntry['severity'], routedTo: string | null, receivedAt = '2027-05-19T08:00:00.000Z') => ({ name, severity, routedTo, receivedAt });
const ordered = (me: string, entries: ReturnType<typeof entry>[]) => [...entries].sort(queueOrderFor(me)).map((e) => e.name);

describe('R11 fixed SOC contact', () => {
  test.each([
    ['Wednesday 19 May 2027 10:00', '2027-05-19T08:00:00Z', 'a.schmidt'],
    ['Saturday 22 May 2027 (a Werktag)', '2027-05-22T08:00:00Z', 'a.schmidt'],
    ['Sunday 23 May 2027', '2027-05-23T08:00:00Z', null],
    ['Corpus Christi, Thursday 27 May 2027 (DE-NW holiday)', '2027-05-27T08:00:00Z', null],
    ['Sunday 23:30 UTC is Monday 01:30 in Berlin', '2027-05-23T23:30:00Z', 'a.schmidt'],
  ])('R11 on %s (%s) the alert is routed to %s', (_name, at, routed) => {
    expect(routedAnalystAt('a.schmidt', new Date(at))).toBe(routed);
  });

  test('R11 a tenant without a fixed contact is never routed', () => {
    expect(routedAnalystAt(null, new Date('2027-05-19T08:00:00Z'))).toBeNull();
  });

  test('R11 for another analyst routing does not outrank severity: a routed critical comes before an unrouted low', () => {
    const queue = [entry('unrouted low', 'low', null), entry('routed critical', 'critical', 'a.schmidt'), entry('unrouted high', 'high', null)];
    expect(ordered('b.weber', queue)).toEqual(['routed critical', 'unrouted high', 'unrouted low']);
  });

  test('R11 the fixed contact sees their own tenants first; within a severity, unrouted alerts come before a colleague’s, then age', () => {
    const queue = [
      entry('colleague high old', 'high', 'c.meyer', '2027-05-19T07:00:00.000Z'),
      entry('unrouted high new', 'high', null, '2027-05-19T08:00:00.000Z'),
      entry('mine low', 'low', 'a.schmidt'),
      entry('unrouted critical', 'critical', null),
      entry('unrouted high old', 'high', null, '2027-05-19T06:00:00.000Z'),
    ];
    expect(ordered('a.schmidt', queue)).toEqual(['mine low', 'unrouted critical', 'unrouted high old', 'unrouted high new', 'colleague high old']);
  });
});
