/**
 * The audit API on a real Temporal server (R18): an auditor exports an alert's histories (the alert and its
 * playbook run), replays them against the current code, and reads the decision trail; other roles are refused.
 */
import request from 'supertest';
import { historyFromJson } from '../../infra/audit/historyJson';
import { Replayer } from '../../infra/audit/replayer';
import { keyIdsOf } from '../../infra/crypto/historyPayloads';
import { auth } from '../playbooks/playbookHarness';
import { testTemporal } from '../support/testEnv';
import { AuditEngine } from './auditScenarios';
import { tamper } from './tamper';

const audit = new AuditEngine();
let alertId = '';
let digest = '';

beforeAll(async () => {
  await audit.start();
  ({ alertId, digest } = await audit.package3PlaybookApprovedAndUndone());
}, 120_000);
afterAll(() => audit.stop());

const get = (path: string, role = 'auditor') => request(audit.engine.app).get(path).set(auth(audit.engine.key(role)));

describe('R18 history export', () => {
  test('R18 an auditor exports the histories of the alert and of its playbook run, in the format the Temporal CLI prints and historyFromJSON reads', async () => {
    const response = await get(`/v1/audit/alerts/${alertId}/history`);
    expect(response.status).toBe(200);
    expect(response.body.alertId).toBe(alertId);
    const histories: { workflowId: string; runId: string; workflowType: string; history: unknown }[] = response.body.histories;
    expect(histories.map((h) => [h.workflowId, h.workflowType])).toEqual([
      [alertId, 'alertWorkflow'],
      [`${alertId}.run-1`, 'playbookRunWorkflow'],
    ]);
    for (const exported of histories) {
      expect(exported.runId).toMatch(/^[0-9a-f-]{36}$/);
      const history = historyFromJson(exported.history);
      expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe(exported.workflowType);
      expect(history.events?.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    }
    // The JSON is what `temporal workflow show -o json` prints: event types as names, ids as strings.
    expect(histories[0]?.history).toMatchObject({ events: expect.arrayContaining([expect.objectContaining({ eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' })]) });

    const one = await get(`/v1/audit/alerts/${alertId}/history/${alertId}.run-1`, 'admin');
    expect(one.status).toBe(200);
    expect(one.body).toEqual(histories[1]?.history);
  });

  test('R18 GDPR the export is the history as stored (payloads encrypted with the tenant key); `?decode=true` gives it decoded through the codec', async () => {
    const alertTitle = (body: { histories: { history: unknown }[] }) => {
      const start = historyFromJson(body.histories[0]?.history).events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      return { encoding: Buffer.from(start?.metadata?.['encoding'] ?? []).toString(), text: Buffer.from(start?.data ?? []).toString() };
    };
    const exported = (await get(`/v1/audit/alerts/${alertId}/history`)).body;
    // Every payload of the alert and of its playbook run is under the tenant's key: none falls back to the SOC default.
    for (const h of exported.histories) expect(Object.keys(keyIdsOf(historyFromJson(h.history)))).toEqual(['rheinwerk-maschinenbau/v1']);
    const stored = alertTitle(exported);
    expect(stored.encoding).toBe('binary/encrypted');
    expect(stored.text).not.toContain('Atypical sign-in');
    const decoded = alertTitle((await get(`/v1/audit/alerts/${alertId}/history?decode=true`)).body);
    expect(decoded.encoding).toBe('json/plain');
    expect(decoded.text).toContain('Atypical sign-in followed by inbox rule');
    // The decoded export replays without the keys, like the golden histories.
    const plain = (await get(`/v1/audit/alerts/${alertId}/history?decode=true`)).body.histories;
    const outcomes = await new Replayer({ workflowBundle: { codePath: testTemporal().bundlePath } }).replayAll(plain);
    expect(outcomes.every((o) => o.deterministic)).toBe(true);
  });

  test('R18 R17 only auditors and admins read histories; unknown alerts and foreign workflows are absent', async () => {
    expect((await get(`/v1/audit/alerts/${alertId}/history`, 'analyst')).status).toBe(403);
    // Another tenant's customer finds the alert absent (R17); the alert's own customer is refused by its role.
    const other = await request(audit.engine.app).get(`/v1/audit/alerts/${alertId}/history`).set(auth(audit.engine.key('customer', 'mueller-logistik')));
    expect(other.status).toBe(404);
    const customer = await request(audit.engine.app).get(`/v1/audit/alerts/${alertId}/history`).set(auth(audit.engine.key('customer', 'rheinwerk-maschinenbau')));
    expect(customer.status).toBe(403);
    expect((await request(audit.engine.app).post(`/v1/audit/alerts/${alertId}/replay`).set(auth(audit.engine.key('analyst')))).status).toBe(403);
    expect((await request(audit.engine.app).get(`/v1/audit/alerts/${alertId}/trail`).set(auth(audit.engine.key('customer', 'rheinwerk-maschinenbau')))).status).toBe(403);
    expect((await get(`/v1/audit/alerts/alert.rheinwerk-maschinenbau.m365.${'0'.repeat(32)}/history`)).status).toBe(404);
    expect((await get(`/v1/audit/alerts/${alertId}/history/some-other-workflow`)).status).toBe(404);
  });
});

describe('R18 replay', () => {
  test('R18 replaying a real alert against the current code gives the same decisions', async () => {
    const response = await request(audit.engine.app).post(`/v1/audit/alerts/${alertId}/replay`).set(auth(audit.engine.key('auditor')));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      alertId,
      deterministic: true,
      workflows: [
        { workflowId: alertId, runId: expect.any(String), deterministic: true, divergence: null },
        { workflowId: `${alertId}.run-1`, runId: expect.any(String), deterministic: true, divergence: null },
      ],
    });
  });

  test('R18 a tampered history (an activity type changed) is reported as not deterministic, with the divergence', async () => {
    const exported = (await get(`/v1/audit/alerts/${alertId}/history`)).body.histories[0];
    // The export is encrypted as stored: the replay decodes it with the engine's codec.
    const replayer = new Replayer({ workflowBundle: { codePath: testTemporal().bundlePath }, payloadCodec: audit.engine.payloadCodec });
    const [outcome] = await replayer.replayAll([{ workflowId: alertId, history: tamper(exported.history) }]);
    expect(outcome).toMatchObject({ workflowId: alertId, deterministic: false });
    expect(outcome?.divergence).toMatch(/publishAlert|nondetermin/i);
  });
});

describe('R18 decision trail', () => {
  test('R18 the trail shows the classification, the matrix check, the approval with approver and digest, the notice with its messageId, the action and the undo', async () => {
    const response = await get(`/v1/audit/alerts/${alertId}/trail`);
    expect(response.status).toBe(200);
    const entries: { at: string; workflowId: string; kind: string; actor: string; detail: string; evidence?: Record<string, unknown> }[] = response.body.entries;
    const run = `${alertId}.run-1`;
    expect(entries.find((e) => e.kind === 'classification' && e.detail.startsWith('Classified'))).toMatchObject({ workflowId: alertId, actor: 'system' });
    expect(entries.find((e) => e.kind === 'classification' && e.actor === 'analyst:dev-analyst')?.detail).toContain('Assessed critical');
    expect(entries.find((e) => e.kind === 'matrix_check' && e.detail.includes('m365.disableUser'))).toMatchObject({ workflowId: run, actor: 'system' });
    expect(entries.find((e) => e.kind === 'approval')).toMatchObject({ workflowId: run, actor: 'analyst:a.schmidt', evidence: expect.objectContaining({ digest, decision: 'approve' }) });
    const notice = entries.find((e) => e.kind === 'notification' && e.workflowId === run);
    expect(notice?.evidence).toMatchObject({ delivered: true, messageId: expect.stringMatching(/.+/), provider: expect.any(String) });
    expect(entries.find((e) => e.kind === 'action' && e.detail.startsWith('m365.disableUser'))).toBeTruthy();
    expect(entries.find((e) => e.kind === 'undo' && e.detail.startsWith('m365.enableUser'))).toBeTruthy();
    expect(entries.find((e) => e.kind === 'undo' && e.actor === 'analyst:dev-analyst')?.detail).toContain('the user travelled');
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort());
    // Message bodies never enter the trail.
    expect(JSON.stringify(entries)).not.toContain('The SOC is about to carry out a measure');
  });

  const trailPage = (path: string, headers: Record<string, string> = {}) => {
    let call = request(audit.engine.app).get(path).set(auth(audit.engine.key('auditor'))).set('Accept', 'text/html');
    for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
    return call;
  };
  /** The rendered times of the page's rows: Berlin time with seconds and the zone, the instant kept in `datetime`. */
  const rowTimes = (text: string) => [...text.matchAll(/<td class="at"><time datetime="([^"]+)">([^<]+)<\/time>/g)].map((m) => ({ iso: m[1] ?? '', shown: m[2] ?? '' }));

  test('R18 the trail as a printable HTML page, every value escaped, in German by default with Berlin times', async () => {
    const page = await trailPage(`/v1/audit/alerts/${alertId}/trail`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<html lang="de">');
    expect(page.text).toContain(`Entscheidungsprotokoll zur Meldung ${alertId}`);
    expect(page.text).toContain('<th>Zeitpunkt (Berlin)</th><th>Art</th><th>Wer</th>');
    expect(page.text).toContain('<td class="kind">Freigabe</td><td>Analyst a.schmidt</td>');
    expect(page.text).toMatch(/Erstellt am \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} MES?Z; \d+ Einträge\./);
    expect(page.text).not.toMatch(/UTC|Decision trail|<th>When/);
    // The details in German from the catalogue (timeline.trail.*), the values as recorded.
    expect(page.text).toMatch(/<td>Eingestuft als (niedrig|mittel|hoch|kritisch) /);
    expect(page.text).toContain('<td>Bewertet: kritisch, ');
    expect(page.text).toMatch(new RegExp(`<td>Freigegeben ${digest}: `));
    expect(page.text).toMatch(/<td>m365\.disableUser auf Benutzer r\.krause[^<]+: done \(/);
    expect(page.text).toMatch(/<td>Benutzer r\.krause[^<]+ nachgeschlagen: bekannt, Gruppen\/Tags \[RW-Office-Users\]<\/td>/);
    expect(page.text).not.toMatch(/<td>(Classified|Assessed|Approved|Published|Looked up|Started playbook)\b/);
    const times = rowTimes(page.text);
    expect(times.length).toBe((await get(`/v1/audit/alerts/${alertId}/trail`)).body.entries.length);
    for (const { iso, shown } of times) expect(shown).toBe(new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'long' }).format(new Date(iso)).replace(/^(\d{2})\.(\d{2})\.(\d{4}) /, '$1.$2.$3, '));
    expect(page.text).toContain(digest);
    expect(page.text).toContain('@media print');
    expect(page.text).not.toMatch(/<(script|link|img)\b/);
    const viaQuery = await get(`/v1/audit/alerts/${alertId}/trail?format=html`);
    expect(viaQuery.headers['content-type']).toMatch(/^text\/html/);
  });

  test('R18 the printable trail in English for a reader whose Accept-Language asks for it, or with ?language=en; the JSON form has no language', async () => {
    const english = await trailPage(`/v1/audit/alerts/${alertId}/trail`, { 'Accept-Language': 'en-GB,en;q=0.9,fr;q=0.5' });
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain(`Decision trail of ${alertId}`);
    expect(english.text).toContain('<th>When (Berlin time)</th><th>What</th><th>Who</th>');
    expect(english.text).toContain('<td class="kind">approval</td><td>analyst a.schmidt</td>');
    expect(english.text).toContain('<td>System</td>');
    expect(english.text).toMatch(new RegExp(`<td>Approved ${digest}: `));
    expect(english.text).toContain('<td>Assessed critical, confirmed security incident: ');
    expect(rowTimes(english.text)[0]?.shown).toMatch(/^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2} CES?T$/);
    const asked = await trailPage(`/v1/audit/alerts/${alertId}/trail?language=en`, { 'Accept-Language': 'de-DE' });
    expect(asked.text).toContain(`Decision trail of ${alertId}`);
    // A language the page is not written in: German.
    expect((await trailPage(`/v1/audit/alerts/${alertId}/trail`, { 'Accept-Language': 'fr-FR' })).text).toContain('<html lang="de">');
    const refused = await get(`/v1/audit/alerts/${alertId}/trail?language=fr`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues).toEqual([expect.objectContaining({ field: 'language' })]);

    const plain = await get(`/v1/audit/alerts/${alertId}/trail`);
    const withLanguage = await request(audit.engine.app).get(`/v1/audit/alerts/${alertId}/trail?language=de`).set(auth(audit.engine.key('auditor'))).set('Accept-Language', 'de');
    expect(withLanguage.headers['content-type']).toMatch(/^application\/json/);
    expect(withLanguage.body).toEqual(plain.body);
    // The JSON entries keep their English detail and carry no catalogue keys.
    expect(plain.body.entries.every((e: Record<string, unknown>) => !('text' in e) && typeof e['detail'] === 'string')).toBe(true);
    expect(plain.body.entries.find((e: { kind: string }) => e.kind === 'approval')).toMatchObject({ actor: 'analyst:a.schmidt', at: expect.stringMatching(/Z$/) });
  });
});
