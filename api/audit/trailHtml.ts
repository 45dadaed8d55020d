/** The decision trail as a printable HTML page (R18) in the reader's language: server-rendered, every value escaped, no external assets. */
import type { TrailEntry } from '../../infra/audit/decisionTrail';
import { berlinTime, message, type Language, type MessageParams } from '../../domain/i18n/messages';
import { renderTimelineText } from '../../domain/i18n/timelineText';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const STYLE = `
body{font:13px/1.4 system-ui,sans-serif;margin:2em;color:#111}
h1{font-size:18px;margin:0 0 .2em}p.meta{color:#555;margin:0 0 1em}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eee}td.at,td.kind{white-space:nowrap}td.ev{font:11px/1.3 monospace;color:#333;word-break:break-all}
tr.approval td,tr.matrix_check td{background:#fff8e1}tr.action td,tr.undo td{background:#eef6ff}
@media print{body{margin:0}th{background:none}tr{break-inside:avoid}}`;

function evidence(entry: TrailEntry): string {
  const pairs = Object.entries(entry.evidence ?? {}).filter(([, v]) => v !== null && v !== undefined);
  return pairs.map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(typeof v === 'string' ? v : JSON.stringify(v))}`).join('<br>');
}

/**
 * The entry's detail in the reader's language from its catalogue key; the recorded English detail where the entry has
 * no key or its key or parameters are not (or no longer) in the catalogue (an old history).
 */
function detailText(entry: TrailEntry, language: Language): string {
  if (!entry.text) return entry.detail;
  try {
    return renderTimelineText(language, entry.text);
  } catch {
    return entry.detail;
  }
}

/** `analyst:a.schmidt` as `Analyst a.schmidt`: the role word in the reader's language, the id as recorded. */
function actorText(actor: string, language: Language): string {
  const colon = actor.indexOf(':');
  const role = colon < 0 ? actor : actor.slice(0, colon);
  if (!ACTOR_ROLES.has(role)) return actor;
  const word = message(language, `auditTrail.actor.${role}`);
  return colon < 0 ? word : `${word} ${actor.slice(colon + 1)}`;
}

const ACTOR_ROLES = new Set(['system', 'rule', 'vendor', 'source', 'analyst', 'admin', 'customer', 'auditor']);

/** The page in the reader's language; times in Berlin time with the zone, the exact instant kept in `<time datetime>`. */
export function renderTrailHtml(alertId: string, entries: TrailEntry[], generatedAt: Date, language: Language): string {
  const t = (key: string, params: MessageParams = {}) => escapeHtml(message(language, `auditTrail.${key}`, params));
  const time = (iso: string) => (Number.isNaN(Date.parse(iso)) ? escapeHtml(iso) : `<time datetime="${escapeHtml(iso)}">${escapeHtml(berlinTime(iso, language, 'seconds'))}</time>`);
  const rows = entries
    .map(
      (e) =>
        `<tr class="${escapeHtml(e.kind)}"><td class="at">${time(e.at)}</td><td class="kind">${t(`kind.${e.kind}`)}</td>` +
        `<td>${escapeHtml(actorText(e.actor, language))}</td><td>${escapeHtml(detailText(e, language))}</td><td>${escapeHtml(e.workflowId)}</td><td class="ev">${evidence(e)}</td></tr>`,
    )
    .join('\n');
  const columns = ['at', 'kind', 'actor', 'detail', 'workflow', 'evidence'].map((c) => `<th>${t(`column.${c}`)}</th>`).join('');
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><title>${t('title', { alertId })}</title><style>${STYLE}</style></head>
<body><h1>${t('heading', { alertId })}</h1>
<p class="meta">${t('meta', { generatedAt: berlinTime(generatedAt.toISOString(), language, 'seconds'), count: entries.length })}</p>
<table><thead><tr>${columns}</tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
