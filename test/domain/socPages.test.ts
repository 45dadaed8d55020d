/**
 * The pages to the SOC's own on-call chain (R19) in the SOC's language (SOAR_SOC_LANGUAGE, German by default): the
 * language comes from the configuration into the tenant's escalation chain, and every page renders in both languages.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../infra/config';
import { loadEngineFiles } from '../../engine/engineFiles';
import { LANGUAGES } from '../../domain/i18n/language';
import {
  approvalWaitingPage,
  criticalIncidentPage,
  deliveryFailedPage,
  expiredUnworkedPage,
  measureFailedPage,
  socLanguageOf,
} from '../../domain/i18n/socMessages';
import { REPO } from '../support/testEnv';

const alert = { tenantId: 'mueller-logistik', alertId: 'alert.mueller-logistik.edr.abc', title: 'LSASS-Zugriff auf WS-0231' };
const measure = { action: 'defender.isolateDevice', target: { kind: 'host', hostname: 'ws-0231', machineId: 'm-1' }, subject: null } as const;

/** The engine's own files with the repository's sample configuration, in the given SOC language. */
const filesIn = (env: Record<string, string>) =>
  loadEngineFiles(loadConfig({ SOAR_TENANTS_DIR: 'config/tenants', SOAR_ONCALL_FILE: 'config/soc/oncall.yaml', SOAR_PLAYBOOKS_DIR: 'playbooks', ...env }, REPO), { createDevPayloadKeys: true });

test('R19 the escalation chain is paged in the SOC’s language: German unless SOAR_SOC_LANGUAGE says otherwise', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'soar-soc-pages-'));
  for (const [env, expected] of [
    [{}, 'de'],
    [{ SOAR_SOC_LANGUAGE: 'en' }, 'en'],
  ] as const) {
    const files = filesIn({ ...env, SOAR_DATA_DIR: dataDir });
    const tenant = files.tenants.get('mueller-logistik');
    if (!tenant) throw new Error('no sample tenant mueller-logistik in config/tenants');
    const policy = files.policyFor(tenant);
    expect(policy.escalation?.language).toBe(expected);
    expect(socLanguageOf(policy)).toBe(expected);
  }
  // Inputs recorded before the chain kept its language are paged in German.
  expect(socLanguageOf({ escalation: null })).toBe('de');
});

test('R19 a critical incident nobody took is paged in German, and in English for an English-speaking SOC', () => {
  const de = criticalIncidentPage('de', alert);
  expect(de).toEqual({
    language: 'de',
    subject: 'KRITISCH mueller-logistik: LSASS-Zugriff auf WS-0231',
    body: 'Kritischer Vorfall alert.mueller-logistik.edr.abc bei mueller-logistik ist noch nicht übernommen: LSASS-Zugriff auf WS-0231',
  });
  expect(criticalIncidentPage('en', alert).body).toBe('Critical incident alert.mueller-logistik.edr.abc for mueller-logistik is not acknowledged yet: LSASS-Zugriff auf WS-0231');
});

test('R8 R19 approvals waiting, failed measures, failed deliveries and expired alerts are paged with the measure in words', () => {
  const approval = approvalWaitingPage('de', { ...alert, ...measure, playbook: 'compromised-device', digest: 'sha256:ab' });
  expect(approval.subject).toBe('Freigabe ausstehend: defender.isolateDevice für mueller-logistik');
  expect(approval.body).toBe('Playbook compromised-device zur Meldung alert.mueller-logistik.edr.abc wartet auf die Freigabe von Gerät vom Netzwerk isolieren (Defender for Endpoint): Gerät ws-0231 (sha256:ab).');
  const failed = measureFailedPage('de', { ...alert, ...measure, reason: 'HTTP 403 from Defender' });
  expect(failed.body).toBe('Gerät vom Netzwerk isolieren (Defender for Endpoint): Gerät ws-0231 (Meldung alert.mueller-logistik.edr.abc) ist fehlgeschlagen: HTTP 403 from Defender. Bitte übernehmen Sie von Hand.');
  expect(deliveryFailedPage('de', { ...alert, recipients: ['it@mueller-logistik.example', '+4917012345678'] }).body).toBe(
    'Die Benachrichtigung zur Meldung alert.mueller-logistik.edr.abc konnte nicht an it@mueller-logistik.example, +4917012345678 zugestellt werden. Bitte erreichen Sie den Kunden auf anderem Weg.',
  );
  expect(expiredUnworkedPage('de', { ...alert, severity: 'high', retentionDays: 90 }).body).toContain('Meldung alert.mueller-logistik.edr.abc (hoch) wurde nie abgeschlossen');
  expect(expiredUnworkedPage('en', { ...alert, severity: null, retentionDays: 90 }).body).toContain('(not classified) was never closed and is past the retention of 90 days');
  for (const language of LANGUAGES) {
    const pages = [
      criticalIncidentPage(language, alert),
      approval,
      approvalWaitingPage(language, { ...alert, ...measure, playbook: 'p', digest: 'd' }),
      measureFailedPage(language, { ...alert, ...measure, reason: 'r' }),
      deliveryFailedPage(language, { ...alert, recipients: ['x'] }),
      expiredUnworkedPage(language, { ...alert, severity: 'critical', retentionDays: 30 }),
    ];
    // Rendered through and through: no placeholder left, short enough for one SMS of concatenated parts.
    for (const page of pages) {
      expect(`${page.subject} ${page.body}`).not.toMatch(/\{\{|\}\}/);
      expect(page.body.length).toBeLessThanOrEqual(600);
    }
  }
});
