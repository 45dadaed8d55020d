/** The customer message catalogues (domain/i18n/de.json, en.json): complete in both languages, polite, Berlin times with the zone. */
import { findingsMessage, leakCheckMessage, managementEscalationMessage, measureNoticeMessage, undoNoticeMessage } from '../../domain/i18n/customerMessages';
import { berlinTime, CATALOGUES, LANGUAGES, message, MissingMessageError } from '../../domain/i18n/messages';

/** Every leaf key of a catalogue with its text. */
function leaves(tree: object, prefix = ''): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null) for (const [k, v] of leaves(value, path)) found.set(k, v);
    else found.set(path, value);
  }
  return found;
}
const placeholders = (text: unknown) => [...String(text).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

test('every message key is in both catalogues, as a non-empty text with the same placeholders', () => {
  const de = leaves(CATALOGUES.de);
  const en = leaves(CATALOGUES.en);
  expect([...de.keys()].filter((key) => !en.has(key))).toEqual([]);
  expect([...en.keys()].filter((key) => !de.has(key))).toEqual([]);
  for (const [key, text] of de) {
    expect(typeof text === 'string' && text.trim() !== '').toBe(true);
    expect([key, placeholders(en.get(key))]).toEqual([key, placeholders(text)]);
  }
});

test('a key missing from a catalogue is refused, not sent as the bare key', () => {
  expect(() => message('de', 'findings.noSuchText')).toThrow(MissingMessageError);
  expect(() => message('en', 'findings.noSuchText')).toThrow("No message 'findings.noSuchText' in the 'en' catalogue");
});

test('times are Europe/Berlin with the zone shown, summer and winter, in each language', () => {
  expect(berlinTime('2026-07-04T12:30:00Z', 'de')).toBe('04.07.2026, 14:30 MESZ');
  expect(berlinTime('2026-12-04T12:30:00Z', 'de')).toBe('04.12.2026, 13:30 MEZ');
  expect(berlinTime('2026-12-04T12:30:00Z', 'en')).toBe('04/12/2026, 13:30 CET');
  // With seconds, for the auditor's trail (events within one minute keep their order readable).
  expect(berlinTime('2026-07-04T12:30:05Z', 'de', 'seconds')).toBe('04.07.2026, 14:30:05 MESZ');
  expect(berlinTime('2026-12-04T12:30:05Z', 'en', 'seconds')).toBe('04/12/2026, 13:30:05 CET');
});

const alert = { title: 'LSASS-Zugriff auf WS-0231', alertId: 'alert.mueller-logistik.edr.abc', receivedAt: '2026-12-04T08:15:00Z' };

test('R6 R8 findings and containment advice are a polite letter in the tenant’s language, every part rendered', () => {
  const iocs = [{ type: 'ip', value: '203.0.113.7', finding: 'malicious', note: '' }] as const;
  const de = findingsMessage('de', { ...alert, severity: 'critical', verdict: 'true_positive', iocs: [...iocs], recommendation: 'Isolieren Sie WS-0231.' });
  expect(de.subject).toBe('[KRITISCH] Sicherheitsmeldung: LSASS-Zugriff auf WS-0231');
  expect(de.body).toMatch(/^Sehr geehrte Damen und Herren,\n/);
  expect(de.body).toContain('eingegangen am 04.12.2026, 09:15 MEZ');
  expect(de.body).toContain('Bewertung: bestätigter Sicherheitsvorfall.');
  expect(de.body).toContain('ip 203.0.113.7 (bösartig)');
  expect(de.body).toContain('Unsere Empfehlung zur Eindämmung: Isolieren Sie WS-0231.');
  expect(de.body).toMatch(/Mit freundlichen Grüßen\nIhr Security Operations Center$/);
  const en = findingsMessage('en', { ...alert, severity: 'medium', verdict: null, iocs: [], recommendation: 'Reset the password.' });
  expect(en.subject).toBe('[MEDIUM] Security alert: LSASS-Zugriff auf WS-0231');
  expect(en.body).toContain('received 04/12/2026, 09:15 CET');
  expect(en.body).toContain('Indicators checked: none recorded.');
  expect(en.body).not.toContain('Assessment:');
});

test('R19 the final escalation to the management asks for a call back and admits nothing, in both languages', () => {
  const de = managementEscalationMessage('de', alert);
  expect(de.body).toContain('Bitte rufen Sie das SOC zurück');
  expect(de.body).toContain('04.12.2026, 09:15 MEZ');
  const en = managementEscalationMessage('en', { title: alert.title, alertId: alert.alertId });
  expect(en.body).toContain('Please call the SOC back');
  for (const text of [de.body, en.body, managementEscalationMessage('de', { title: 't', alertId: 'a' }).body]) {
    expect(text.length).toBeLessThanOrEqual(600);
    expect(text).not.toMatch(/did not act|not acknowledged|nicht reagiert|nicht gehandelt|versäumt|garant|guarantee/i);
  }
});

test('R4 R8 measure notices, reversals and leak findings render in both languages', () => {
  for (const language of LANGUAGES) {
    const notice = measureNoticeMessage(language, { ...alert, severity: 'critical', measure: 'Isolate device: ws-0231', playbook: 'Compromised device', version: 3, digest: 'sha256:ab' });
    expect(notice.body).toContain('Isolate device: ws-0231');
    expect(notice.sms.length).toBeLessThanOrEqual(600);
    expect(undoNoticeMessage(language, { alertId: alert.alertId, reason: 'on request', measures: ['Isolate device: ws-0231'] }).body).toContain('- Isolate device: ws-0231');
    const leak = leakCheckMessage(language, { domain: 'mueller-logistik.example', findings: [{ address: 's.krause@mueller-logistik.example', breach: 'LinkedIn' }] });
    expect(leak.subject).toContain('mueller-logistik.example');
    expect(leak.body).toContain('- s.krause@mueller-logistik.example: LinkedIn');
  }
});

test('every state, timeline kind, run state, problem kind, action, target kind and service window the dashboard names has words in both languages', async () => {
  const { ALERT_STATES, TIMELINE_KINDS } = await import('../../domain/alertLifecycle');
  const { RUN_STATES } = await import('../../domain/response/playbookRun');
  const { PROBLEM_KINDS } = await import('../../api/operations/workflowProblems');
  const { ACTION_NAMES } = await import('../../domain/response/actionCatalog');
  const { SERVICE_WINDOWS } = await import('../../domain/calendar/serviceCalendar');
  const { ROLES } = await import('../../domain/access/roles');
  const keys = [
    ...ALERT_STATES.map((s) => `dashboard.state.${s}`),
    ...TIMELINE_KINDS.map((k) => `dashboard.timeline.${k}`),
    ...RUN_STATES.map((s) => `dashboard.runState.${s}`),
    ...PROBLEM_KINDS.map((k) => `dashboard.problemKind.${k}`),
    ...ACTION_NAMES.map((a) => `action.${a}`),
    ...SERVICE_WINDOWS.map((w) => `serviceWindow.${w}`),
    ...ROLES.map((r) => `dashboard.role.${r}`),
    ...['user', 'host', 'ip', 'file', 'fileSha1', 'alert', 'firewall'].map((t) => `target.${t}`),
  ];
  for (const language of LANGUAGES) for (const key of keys) expect(() => message(language, key)).not.toThrow();
});
