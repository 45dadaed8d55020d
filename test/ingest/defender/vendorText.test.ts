/** Odd characters, over-long texts and Graph's timestamps: stored safely, cut instead of refused, and accepted by the schema. */
import { z } from 'zod';
import { LIMITS } from '../../../ingest/defender/entityLimits';
import { externalIdOf, observedAtOf } from '../../../ingest/defender/mapDefenderAlert';
import { clip, withoutNul } from '../../../ingest/defender/vendorText';
import { evidence, graphAlert, normalisedOne } from './graphAlerts';

describe('odd characters', () => {
  test('NUL is removed from every string, raw included; U+FFFD, emoji and RTL marks stay', () => {
    const alert = normalisedOne(
      graphAlert({
        title: 'Bad\u0000 title \uFFFD 🙂 \u200f',
        description: 'line\u0000one',
        unknownField: 'x\u0000y',
        evidence: [evidence('userEvidence', { userAccount: { accountName: 'j.\u0000becker' } })],
      }),
    );
    expect(alert.title).toBe('Bad title \uFFFD 🙂 \u200f');
    expect(alert.description).toBe('lineone');
    expect(alert.entities.users).toEqual([{ name: 'j.becker' }]);
    expect(JSON.stringify(alert.raw)).not.toContain('\\u0000');
    expect(alert.raw).toMatchObject({ unknownField: 'xy' });
  });

  test('withoutNul cleans keys and nested values and leaves other values alone', () => {
    expect(withoutNul({ 'a\u0000b': ['c\u0000', 1, null, true, { d: '\u0000' }] })).toEqual({ ab: ['c', 1, null, true, { d: '' }] });
  });
});

describe('over-long texts are cut to the normalised limits, not refused', () => {
  test('the limits are read from the normalised schema', () => {
    expect(LIMITS).toMatchObject({ externalId: 512, title: 1024, description: 65536, userName: 256, url: 8192, commandLine: 32768 });
  });

  test('title, description, names, command lines and URLs', () => {
    const long = (n: number) => 'x'.repeat(n);
    const alert = normalisedOne(
      graphAlert({
        title: long(5000),
        description: long(70_000),
        evidence: [
          evidence('userEvidence', { userAccount: { accountName: long(300), domainName: long(300) } }),
          evidence('processEvidence', { processCommandLine: long(40_000), imageFile: { fileName: long(2000), filePath: `C:\\${long(5000)}` } }),
          evidence('urlEvidence', { url: `https://x.example/${long(9000)}` }),
          evidence('deviceEvidence', { deviceDnsName: long(300), osPlatform: long(200) }),
          evidence('ipEvidence', { ipAddress: '10.0.0.1', countryLetterCode: 'Netherlands' }),
        ],
      }),
    );
    expect(alert.title).toHaveLength(1024);
    expect(alert.description).toHaveLength(65_536);
    expect(alert.entities.users[0]?.name).toHaveLength(256);
    expect(alert.entities.processes[0]?.commandLine).toHaveLength(32_768);
    expect(alert.entities.processes[0]?.imagePath).toHaveLength(4096);
    expect(alert.entities.urls[0]?.url).toHaveLength(8192);
    expect(alert.entities.hosts[0]).toMatchObject({ hostname: long(256), os: long(128) });
    expect(alert.entities.ips[0]?.countryCode).toBe('Netherla');
  });

  test('identifiers that are too long are dropped, not cut into a wrong id', () => {
    const users = normalisedOne(graphAlert({ evidence: [evidence('userEvidence', { userAccount: { accountName: 'a', azureAdUserId: 'g'.repeat(65) } })] })).entities.users;
    expect(users).toEqual([{ name: 'a' }]);
  });

  test('an emoji at the cut is dropped whole, never split into half a surrogate pair', () => {
    const cut = clip(`${'x'.repeat(1023)}🙂`, 1024);
    expect(cut).toBe('x'.repeat(1023));
    expect(clip('ab🙂', 4)).toBe('ab🙂');
  });

  test('an over-long alert id keeps its start and a hash of the whole, so two such ids stay apart', () => {
    const a = externalIdOf(`${'x'.repeat(600)}a`);
    const b = externalIdOf(`${'x'.repeat(600)}b`);
    expect(a).toHaveLength(512);
    expect(a).not.toBe(b);
    expect(externalIdOf('short-id')).toBe('short-id');
    expect(normalisedOne(graphAlert({ id: 'y'.repeat(1000) })).externalId).toHaveLength(512);
  });
});

describe("Graph's timestamps", () => {
  const withOffset = z.iso.datetime({ offset: true });

  test('seven fractional digits are accepted and normalised to milliseconds in UTC', () => {
    expect(withOffset.safeParse('2023-10-20T09:54:53.4813587Z').success).toBe(true);
    expect(normalisedOne(graphAlert({ firstActivityDateTime: '2023-10-20T09:54:53.4813587Z' })).observedAt).toBe('2023-10-20T09:54:53.481Z');
  });

  test('firstActivityDateTime wins over createdDateTime; an offset is turned into UTC', () => {
    expect(observedAtOf({ id: 'a', firstActivityDateTime: '2026-11-26T10:00:00+02:00', createdDateTime: '2026-11-26T09:00:00Z' })).toBe('2026-11-26T08:00:00.000Z');
    expect(observedAtOf({ id: 'a', firstActivityDateTime: null, createdDateTime: '2026-11-26T09:00:00Z' })).toBe('2026-11-26T09:00:00.000Z');
  });

  test("Microsoft's 'not set' (0001-01-01) falls back to createdDateTime", () => {
    expect(observedAtOf({ id: 'a', firstActivityDateTime: '0001-01-01T00:00:00Z', createdDateTime: '2026-11-26T09:00:00.1234567Z' })).toBe('2026-11-26T09:00:00.123Z');
  });

  test('only createdDateTime, or only firstActivityDateTime, is enough', () => {
    expect(normalisedOne(graphAlert({ createdDateTime: undefined, firstActivityDateTime: '2026-11-26T09:00:00Z' })).observedAt).toBe('2026-11-26T09:00:00.000Z');
  });
});
