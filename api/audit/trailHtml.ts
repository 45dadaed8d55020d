/** The decision trail as a printable HTML page (R18): server-rendered, every value escaped, no external assets. */
import type { TrailEntry } from '../../infra/audit/decisionTrail';

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

export function renderTrailHtml(alertId: string, entries: TrailEntry[], generatedAt: Date): string {
  const rows = entries
    .map(
      (e) =>
        `<tr class="${escapeHtml(e.kind)}"><td class="at">${escapeHtml(e.at)}</td><td class="kind">${escapeHtml(e.kind.replace(/_/g, ' '))}</td>` +
        `<td>${escapeHtml(e.actor)}</td><td>${escapeHtml(e.detail)}</td><td>${escapeHtml(e.workflowId)}</td><td class="ev">${evidence(e)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Decision trail ${escapeHtml(alertId)}</title><style>${STYLE}</style></head>
<body><h1>Decision trail of ${escapeHtml(alertId)}</h1>
<p class="meta">Derived from the stored Temporal histories of the alert and its playbook runs (R18). Generated ${escapeHtml(generatedAt.toISOString())}; ${entries.length} entries.</p>
<table><thead><tr><th>When (UTC)</th><th>What</th><th>Who</th><th>Detail</th><th>Workflow</th><th>Evidence</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
