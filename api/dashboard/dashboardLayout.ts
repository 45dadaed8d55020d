/** The frame of every dashboard page: the served style sheet (no inline scripts or styles: the CSP stays strict) and a navigation by role. */
import { may, type Permission } from '../auth/roles';
import type { DashboardSession } from './dashboardSessions';
import { html, type Html, type HtmlValue } from './html';
import { berlinTime, DEFAULT_LANGUAGE, message, type Language } from '../../domain/i18n/messages';

export const STYLE_PATH = '/dashboard/static/dashboard.css';

export const DASHBOARD_CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#111;background:#fafafa}
header{background:#1d2b3a;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;align-items:center;flex-wrap:wrap}
header a{color:#cfe3ff;text-decoration:none}header a:hover{text-decoration:underline}header .who{margin-left:auto;color:#ddd}
header form{display:inline}main{padding:1em 1.5em;max-width:1200px}
h1{font-size:20px;margin:.3em 0 .6em}h2{font-size:16px;margin:1.4em 0 .4em}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}.sev{font-weight:bold;text-transform:uppercase;font-size:12px}
.sev-critical{color:#b00020}.sev-high{color:#c45a00}.sev-medium{color:#8a6d00}.sev-low{color:#2e6b2e}
.flagged td{background:#ffecec}.error{background:#ffecec;border:1px solid #e0a0a0;padding:.5em 1em}
.note{color:#555}form.inline{display:inline}label{margin-right:.8em}
button{cursor:pointer}td small{word-break:break-all}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:bold}`;

interface NavItem {
  href: string;
  /** Key under `dashboard.nav` in the message catalogues. */
  label: string;
  permission: Permission;
}

const NAV: readonly NavItem[] = [
  { href: '/dashboard/queue', label: 'queue', permission: 'readQueue' },
  { href: '/dashboard/alerts', label: 'alerts', permission: 'readAlerts' },
  { href: '/dashboard/approvals', label: 'approvals', permission: 'approveActions' },
  { href: '/dashboard/escalations', label: 'escalations', permission: 'readQueue' },
  { href: '/dashboard/problems', label: 'problems', permission: 'readProblems' },
  { href: '/dashboard/work-orders', label: 'workOrders', permission: 'readWorkOrders' },
  { href: '/dashboard/fair-use', label: 'fairUse', permission: 'readFairUse' },
  { href: '/dashboard/service-figures', label: 'serviceFigures', permission: 'readServiceFigures' },
  { href: '/dashboard/reports', label: 'reports', permission: 'readReports' },
  { href: '/dashboard/what-if', label: 'whatIf', permission: 'askWhatIf' },
];

/** A session as a page sees it: with the language the person reads (their choice, else their tenant's, else English). */
export type DashboardView = DashboardSession & { language?: Language };

/** The dashboard text `key` (under `dashboard.` in the catalogues) in the viewer's language. */
export function say(view: DashboardView | null, key: string): string {
  return message(view?.language ?? 'en', `dashboard.${key}`);
}

export function page(title: string, session: DashboardView | null, body: HtmlValue): Html {
  const principal = session?.principal;
  const language = session?.language ?? 'en';
  const other = language === 'de' ? 'en' : 'de';
  const nav = principal
    ? html`${NAV.filter((item) => may(principal, item.permission)).map((item) => html`<a href="${item.href}">${say(session, `nav.${item.label}`)}</a>`)}
<span class="who">${principal.keyId} (${principal.role}${principal.tenantId ? `, ${principal.tenantId}` : ''})</span>
<form method="post" action="/dashboard/logout"><input type="hidden" name="_csrf" value="${session.csrfToken}"><button type="submit">${say(session, 'logout')}</button></form>
<form method="post" action="/dashboard/language"><input type="hidden" name="_csrf" value="${session.csrfToken}"><button type="submit" name="language" value="${other}" class="language">${other.toUpperCase()}</button></form>`
    : '';
  return html`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · SOAR dashboard</title><link rel="stylesheet" href="${STYLE_PATH}"></head>
<body><header><strong>SOAR dashboard</strong>${nav}</header>
<main><h1>${title}</h1>
${body}
</main></body></html>
`;
}

/** A form that POSTs with the session's CSRF token. */
export function postForm(session: DashboardSession, action: string, fields: Record<string, string>, button: HtmlValue): Html {
  return html`<form class="inline" method="post" action="${action}"><input type="hidden" name="_csrf" value="${session.csrfToken}">${Object.entries(fields).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}${button}</form>`;
}

export function severityCell(severity: string | null): Html {
  return html`<span class="sev sev-${severity ?? 'none'}">${severity ?? 'unclassified'}</span>`;
}

/** A time as the German SOC and its customers read it: Europe/Berlin with the zone shown (`04.12.2026, 13:47 MEZ`). */
export function when(iso: string | null | undefined, language: Language = DEFAULT_LANGUAGE): string {
  return iso && !Number.isNaN(Date.parse(iso)) ? berlinTime(iso, language) : '';
}
