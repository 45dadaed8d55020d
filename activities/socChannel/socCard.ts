/**
 * What the SOC's team channel is told (critical incidents, escalations, approvals waiting) and how it is shown: an
 * Adaptive Card in the SOC's language with a link to the dashboard page that decides. The card carries only the
 * SOC's own facts: tenant id, severity, alert id, detection rule titles, the action's name, the time. Never the
 * alert's title, entities, targets or anyone's contact details: those stay in the engine (R17, R20).
 */
import { z } from 'zod';
import { berlinTime, message } from '../../domain/i18n/messages';
import type { Language } from '../../domain/i18n/language';
import { SEVERITIES } from '../../domain/severity';

export const SOC_CARD_KINDS = ['critical_incident', 'escalation', 'approval_waiting'] as const;

const line = (max: number) => z.string().min(1).max(max).regex(/^[^\p{Cc}]+$/u, 'a single line without control characters');

export const socCardSchema = z.strictObject({
  kind: z.enum(SOC_CARD_KINDS),
  tenantId: line(200),
  alertId: line(300),
  severity: z.enum(SEVERITIES).nullable(),
  /** Titles of the SOC's detection rules that matched (its own content, not the customer's data). */
  rules: z.array(line(300)).max(10),
  /** Escalation: which step of the chain, and its name (e.g. "SOC on-call backup"). */
  step: z.number().int().min(1).max(100).optional(),
  stepName: line(200).optional(),
  /** Approval: the action's name from the catalogue (e.g. m365.disableUser), never its target. */
  action: line(200).optional(),
  at: z.iso.datetime(),
});

export type SocCard = z.output<typeof socCardSchema>;

/** The Adaptive Card (schema 1.4) for the card, with its texts in `language`. */
export function adaptiveCard(card: SocCard, dashboardUrl: string, language: Language): object {
  const t = (key: string, params: Record<string, string | number> = {}) => message(language, `socCard.${key}`, params);
  const base = dashboardUrl.replace(/\/+$/, '');
  const link =
    card.kind === 'approval_waiting'
      ? { title: t('openApprovals'), url: `${base}/dashboard/approvals` }
      : { title: t('openAlert'), url: `${base}/dashboard/alerts/${encodeURIComponent(card.alertId)}` };
  const facts = [
    { title: t('tenant'), value: card.tenantId },
    ...(card.severity ? [{ title: t('severity'), value: message(language, `severity.${card.severity}`) }] : []),
    { title: t('alert'), value: card.alertId },
    ...(card.rules.length > 0 ? [{ title: t('rules'), value: card.rules.join('; ') }] : []),
    { title: t('at'), value: berlinTime(card.at, language) },
  ];
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    lang: language,
    body: [
      { type: 'TextBlock', text: t(card.kind, { step: card.step ?? '', stepName: card.stepName ?? '', action: card.action ?? '' }), weight: 'Bolder', size: 'Medium', color: 'Attention', wrap: true },
      { type: 'FactSet', facts },
    ],
    actions: [{ type: 'Action.OpenUrl', ...link }],
  };
}
