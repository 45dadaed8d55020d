/** The README's example (and the Defender one of docs/intake.md), run as written: curl requests against the engine, commented answers checked. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { REPO, startTestEngine, type TestEngine } from '../support/testEngine';
import { waitFor } from '../support/waitFor';

interface CurlCall {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  dataFile: string | null;
  /** The comment lines that follow the command: the answer the README promises. */
  answer: string;
}

/** The curl commands of the first bash block under a heading, parsed (continuation lines joined). */
function curlCalls(file = 'README.md', heading = '## Example'): CurlCall[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  const section = text.slice(text.indexOf(heading));
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`${file}: no bash block under "${heading}"`);
  const calls: CurlCall[] = [];
  for (const chunk of block.replace(/\\\n\s*/g, ' ').split(/\n(?=curl )/)) {
    const [command = '', ...comments] = chunk.trim().split('\n');
    const url = /(http:\/\/127\.0\.0\.1:8080\S+)/.exec(command)?.[1];
    if (!url) throw new Error(`${file}: no engine URL in ${command}`);
    const headers = Object.fromEntries([...command.matchAll(/-H '([^:]+): ([^']+)'/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
    calls.push({
      method: /-X POST/.test(command) ? 'POST' : 'GET',
      path: new URL(url).pathname,
      headers,
      dataFile: /--data @(\S+)/.exec(command)?.[1] ?? null,
      answer: comments.map((line) => line.replace(/^#\s*/, '')).join('\n'),
    });
  }
  return calls;
}

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
});
afterAll(async () => {
  await engine?.stop();
});

test('R3 the README example: the sample alert is accepted, and reads back published with the severity the README shows', async () => {
  const [submit, read] = curlCalls();
  if (!submit || !read) throw new Error('README.md: the example needs a POST and a GET');
  expect(submit).toMatchObject({ method: 'POST', path: '/v1/alerts' });
  let post = request(engine.app).post(submit.path);
  for (const [name, value] of Object.entries(submit.headers)) post = post.set(name, value);
  const accepted = await post.send(readFileSync(join(REPO, submit.dataFile ?? ''), 'utf8'));
  expect(accepted.status).toBe(202);
  // The promised answer, e.g. {"alertId":"alert.nordwind-handel.edr.…","workflowId":"…","duplicate":false,"statusUrl":"…"}
  const promised = JSON.parse(submit.answer.replace(/…/g, '')) as Record<string, unknown>;
  expect(Object.keys(accepted.body).sort()).toEqual(Object.keys(promised).sort());
  expect(accepted.body.duplicate).toBe(promised.duplicate);
  expect(accepted.body.alertId).toMatch(new RegExp(`^${String(promised.alertId).replace(/\./g, '\\.')}`));

  const path = read.path.replace(encodeURIComponent('<alertId>'), accepted.body.alertId).replace('<alertId>', accepted.body.alertId);
  const state = /state "([a-z_]+)"/.exec(read.answer)?.[1];
  const severity = /severity "([a-z]+)"/.exec(read.answer)?.[1];
  const readBack = async () => {
    let get = request(engine.app).get(path);
    for (const [name, value] of Object.entries(read.headers)) get = get.set(name, value);
    return get;
  };
  const answer = await waitFor(readBack, (r) => r.status === 200 && r.body.state === state, `state ${state} of the README's alert`);
  expect(answer.body.severity).toBe(severity);
  if (/classified by rule/.test(read.answer)) expect(answer.body.classification.decidedBy).toMatchObject({ kind: 'rule', ruleId: expect.any(String) });
  expect(Array.isArray(answer.body.timeline) && answer.body.timeline.length > 0).toBe(true);
});

test('R1 the Defender example of docs/intake.md is accepted for the tenant whose Azure tenant it names', async () => {
  const [submit] = curlCalls('docs/intake.md', '## Alerts');
  if (!submit) throw new Error('docs/intake.md: no curl under "## Alerts"');
  expect(submit).toMatchObject({ method: 'POST', path: '/v1/alerts/defender' });
  let post = request(engine.app).post(submit.path);
  for (const [name, value] of Object.entries(submit.headers)) post = post.set(name, value);
  const accepted = await post.send(readFileSync(join(REPO, submit.dataFile ?? ''), 'utf8'));
  expect(accepted.status).toBe(202);
  expect(accepted.body.alertId).toMatch(/^alert\.mueller-logistik\.defender\./);
});

test('every `npm run` script the README and docs/ name exists in package.json', () => {
  const scripts = Object.keys((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
  const texts = ['README.md', ...readdirSync(join(REPO, 'docs')).map((name) => `docs/${name}`)];
  const unknown: string[] = [];
  for (const file of texts) {
    for (const match of readFileSync(join(REPO, file), 'utf8').matchAll(/npm run ([a-z][\w:.-]*)/g)) {
      if (!scripts.includes(match[1] ?? '')) unknown.push(`${file}: npm run ${match[1]}`);
    }
  }
  expect(unknown).toEqual([]);
});
