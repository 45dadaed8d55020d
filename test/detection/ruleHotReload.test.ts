/** Hot reload of detection rules: a valid edit replaces the running set, a broken file keeps it and says why (R3). */
import express from 'express';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { LiveDetectionRules } from '../../activities/analysis/liveDetectionRules';
import { healthRoutes } from '../../api/http/healthRoutes';
import { ruleText } from './sigmaRuleBuilder';

const ID = '20000000-0000-4000-8000-000000000001';
const EVENT = { title: 'procdump of lsass' };
const LOGSOURCE = { product: 'endpoint', category: 'alert' };
const rule = (word: string, level = 'high') => ruleText({ sel: { 'title|contains': word }, condition: 'sel' }, { id: ID, level, logsource: LOGSOURCE, title: `Title contains ${word}` });
const BROKEN = 'title: broken\nid: 20000000-0000-4000-8000-000000000002\nlogsource:\n  product: endpoint\ndetection:\n  sel:\n    title|nosuchmodifier: x\n  condition: sel\nlevel: high\n';

let dir: string;
let live: LiveDetectionRules;
const matched = () => live.ruleSet.evaluate(EVENT, LOGSOURCE).map((m) => m.title);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rules-'));
  writeFileSync(join(dir, 'rule.yml'), rule('mimikatz'));
  live = new LiveDetectionRules(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a replaced rule file is used once reloaded, under a new version', () => {
  const before = live.version;
  expect(matched()).toEqual([]);
  writeFileSync(join(dir, 'rule.yml'), rule('lsass'));
  const result = live.reload();
  expect(result).toEqual({ outcome: 'replaced', version: live.version, previous: before });
  expect(live.version).not.toBe(before);
  expect(matched()).toEqual(['Title contains lsass']);
});

test('a reload that changes nothing keeps the version', () => {
  const before = live.version;
  expect(live.reload()).toEqual({ outcome: 'unchanged', version: before });
});

test('a broken file keeps the running set and reports file, line and reason', () => {
  const before = live.version;
  writeFileSync(join(dir, 'rule.yml'), rule('lsass'));
  writeFileSync(join(dir, 'broken.yml'), BROKEN);
  const result = live.reload();
  expect(result.outcome).toBe('refused');
  expect(live.version).toBe(before);
  expect(matched()).toEqual([]);
  expect(live.status().lastRefusal).toMatchObject({ file: join(dir, 'broken.yml'), line: 7, reason: expect.stringContaining("unknown modifier 'nosuchmodifier'") });
  // Fixed: the next reload takes the new set and forgets the refusal.
  rmSync(join(dir, 'broken.yml'));
  expect(live.reload().outcome).toBe('replaced');
  expect(live.status().lastRefusal).toBeUndefined();
  expect(matched()).toEqual(['Title contains lsass']);
});

test('watching: an edited file is reloaded, a broken one is logged and refused; /readyz shows the version in use', async () => {
  const logs: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const stop = live.watch({ debounceMs: 50, log: (level, message, fields) => logs.push({ level, message, fields }) });
  const app = express().use(healthRoutes(async () => true, () => live.status()));
  try {
    const first = live.version;
    writeFileSync(join(dir, 'rule.yml'), rule('lsass'));
    await waitFor(() => live.version !== first);
    expect(matched()).toEqual(['Title contains lsass']);
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', detectionRules: { version: live.version, rules: 1 } });

    const second = live.version;
    writeFileSync(join(dir, 'broken.yml'), BROKEN);
    await waitFor(() => logs.some((line) => line.level === 'warn'));
    expect(live.version).toBe(second);
    expect(logs.find((line) => line.level === 'warn')?.fields).toMatchObject({ file: join(dir, 'broken.yml'), line: 7, version: second });
    const after = await request(app).get('/readyz');
    expect(after.body.detectionRules).toMatchObject({ version: second, lastRefusal: { file: join(dir, 'broken.yml'), line: 7 } });
  } finally {
    stop();
  }
});

async function waitFor(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for the reload');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
