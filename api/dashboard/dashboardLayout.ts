/** The frame of every dashboard page: the served style sheet (no inline scripts or styles: the CSP stays strict) and a navigation by role. */
import { may, type Permission } from '../../domain/access/roles';
import type { DashboardSession } from './dashboardSessions';
import { html, type Html, type HtmlValue } from './html';
import { berlinTime, LOCALES, message, type Language, type MessageParams } from '../../domain/i18n/messages';

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

/** The language a page is read in: the viewer's choice, else their tenant's, else English (the SOC's analysts choose). */
export const languageOfView = (view: DashboardView | Language | null | undefined): Language => (typeof view === 'string' ? view : (view?.language ?? 'en'));

/** The dashboard text `key` (under `dashboard.` in the catalogues) in the viewer's language. */
export function say(view: DashboardView | Language | null, key: string, params: MessageParams = {}): string {
  return message(languageOfView(view), `dashboard.${key}`, params);
}

/** A number in the viewer's locale (`1.234,5` in German, `1,234.5` in English). */
export function num(value: number, view: DashboardView | Language | null): string {
  return new Intl.NumberFormat(LOCALES[languageOfView(view)], { maximumFractionDigits: 2 }).format(value);
}

/** An alert's state in words; the machine name stays in `data-state` for scripts and tests. */
export function stateLabel(state: string | null | undefined, view: DashboardView | Language | null): string {
  return state ? say(view, `state.${state}`) : '';
}

/** `view` is the session; a page before the login (no session) passes the language it is read in. */
export function page(title: string, session: DashboardView | null, body: HtmlValue, pageLanguage?: Language): Html {
  const principal = session?.principal;
  const language = pageLanguage ?? languageOfView(session);
  const other = language === 'de' ? 'en' : 'de';
  const nav = principal
    ? html`${NAV.filter((item) => may(principal, item.permission)).map((item) => html`<a href="${item.href}">${say(language, `nav.${item.label}`)}</a>`)}
<span class="who">${principal.keyId} (${say(language, `role.${principal.role}`)}${principal.tenantId ? `, ${principal.tenantId}` : ''})</span>
<form method="post" action="/dashboard/logout"><input type="hidden" name="_csrf" value="${session.csrfToken}"><button type="submit">${say(language, 'logout')}</button></form>
<form method="post" action="/dashboard/language"><input type="hidden" name="_csrf" value="${session.csrfToken}"><button type="submit" name="language" value="${other}" class="language" title="${say(language, 'other')}">${other.toUpperCase()}</button></form>`
    : html`<a class="language" href="/dashboard/login?language=${other}" title="${say(language, 'other')}">${other.toUpperCase()}</a>`;
  return html`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${say(language, 'brand')}</title><link rel="stylesheet" href="${STYLE_PATH}"></head>
<body><header><strong>${say(language, 'brand')}</strong>${nav}</header>
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

/** A severity in the viewer's words; the machine name stays in the class and `data-severity`. */
export function severityCell(severity: string | null, view: DashboardView | Language | null): Html {
  const language = languageOfView(view);
  return html`<span class="sev sev-${severity ?? 'none'}" data-severity="${severity ?? ''}">${severity ? message(language, `severity.${severity}`) : say(language, 'alert.unclassified')}</span>`;
}

/** A time as the German SOC and its customers read it: Europe/Berlin with the zone shown (`04.12.2026, 13:47 MEZ`), in the viewer's locale. */
export function when(iso: string | null | undefined, view: DashboardView | Language | null): string {
  return iso && !Number.isNaN(Date.parse(iso)) ? berlinTime(iso, languageOfView(view)) : '';
}
