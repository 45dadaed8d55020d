/**
 * The IoC enrichment answers on an alert's page (SOC only): per indicator what each provider said, and for the
 * assigned analyst the IoC check pre-filled with the gravest finding, recorded only when the analyst confirms it.
 */
import type { AlertStatus } from '../../domain/alertLifecycle';
import { iocTypeOf, PROVIDER_NAMES, suggestedFinding, type EnrichmentResult } from '../../domain/enrichment/enrichmentResult';
import { may } from '../../domain/access/roles';
import { postForm, say, when, type DashboardView } from './dashboardLayout';
import { html, type Html } from './html';

const WORKING: readonly AlertStatus['state'][] = ['in_triage', 'ready_for_response'];

export function enrichmentSection(session: DashboardView, status: AlertStatus): Html | '' {
  const results = status.enrichment ?? [];
  if (!may(session.principal, 'triageAlerts') || results.length === 0) return '';
  const t = (key: string) => say(session, `enrichment.${key}`);
  const byIndicator = new Map<string, EnrichmentResult[]>();
  for (const result of results) {
    const key = `${result.indicator.kind}\u0000${result.indicator.value}`;
    byIndicator.set(key, [...(byIndicator.get(key) ?? []), result]);
  }
  const mayConfirm = status.triage.assignedAnalyst === session.principal.keyId && WORKING.includes(status.state);
  const path = `/dashboard/alerts/${encodeURIComponent(status.alertId)}/iocs`;
  const rows = [...byIndicator.values()].map((answers) => {
    const indicator = answers[0]!.indicator;
    const finding = suggestedFinding(answers);
    const note = answers.map((a) => `${PROVIDER_NAMES[a.provider]}: ${a.finding} (${a.summary})`).join('; ').slice(0, 1000);
    const recorded = status.triage.iocs.some((ioc) => ioc.value === indicator.value);
    const action = recorded
      ? t('confirmed')
      : mayConfirm
        ? postForm(session, path, { type: iocTypeOf(indicator), value: indicator.value, finding, note }, html`<button type="submit">${t('confirm')}: ${finding}</button>`)
        : finding;
    return html`<tr><td>${indicator.kind}</td><td><code>${indicator.value}</code></td><td>${answers.map(
      (a) => html`${PROVIDER_NAMES[a.provider]}: <strong>${a.finding}</strong> ${a.summary} <small>${when(a.checkedAt, session)}${a.fromCache ? ` (${t('cached')})` : ''}</small><br>`,
    )}</td><td>${action}</td></tr>`;
  });
  return html`<section class="enrichment"><h2>${t('title')}</h2><table><thead><tr><th>${t('kind')}</th><th>${t('indicator')}</th><th>${t('answers')}</th><th>${t('check')}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}
