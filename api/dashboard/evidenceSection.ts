/** The evidence part of an alert's page: what the alert is about, in the order an analyst reads it. */
import type { AlertEvidence } from '../alerts/alertEvidence';
import { html, type Html, type HtmlValue } from './html';
import { num, say, when, type DashboardView } from './dashboardLayout';

/** A table with a heading, or nothing when there are no rows. */
function table(title: string, headings: readonly string[], rows: readonly HtmlValue[][], cssClass: string): Html | '' {
  if (rows.length === 0) return '';
  return html`<h3>${title}</h3><table class="${cssClass}"><thead><tr>${headings.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>
${rows.map((cells) => html`<tr>${cells.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody></table>`;
}

const code = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '' : html`<code>${String(value)}</code>`);
const lines = (values: readonly (string | null | undefined)[]) => values.filter((v) => v).map((v, i) => html`${i > 0 ? html`<br>` : ''}${v}`);

function entityTables(evidence: AlertEvidence, t: Say, c: Columns): Html {
  const { users, hosts, ips, files, processes, urls } = evidence.entities;
  return html`${table(t('hosts'), c('name', 'deviceId', 'os', 'ips'), hosts.map((h) => [code(h.hostname), code(h.deviceId), h.os, h.ips.join(', ')]), 'hosts')}
${table(t('users'), c('name', 'upn', 'domain', 'sid'), users.map((u) => [u.name, u.upn, u.domain, code(u.sid)]), 'users')}
${table(t('files'), c('name', 'path', 'hashes'), files.map((f) => [f.name, code(f.path), lines([f.sha256 && `SHA-256 ${f.sha256}`, f.sha1 && `SHA-1 ${f.sha1}`, f.md5 && `MD5 ${f.md5}`])]), 'files')}
${table(t('processes'), c('pid', 'commandLine', 'image', 'user', 'parentImage'), processes.map((p) => [p.pid, code(p.commandLine), code(p.imagePath), p.user, code(p.parentImagePath)]), 'processes')}
${table(t('ips'), c('address', 'role', 'country'), ips.map((i) => [code(i.address), t(`ipRole.${i.role}`), i.countryCode]), 'ips')}
${table(t('urls'), c('url'), urls.map((u) => [code(u.url)]), 'urls')}`;
}

function vendorPart(evidence: AlertEvidence, t: Say, c: Columns): Html | '' {
  const vendor = evidence.vendor;
  if (!vendor) return '';
  const links = [vendor.links.alert && html`<a href="${vendor.links.alert}" rel="noreferrer">${t('alertLink')}</a>`, vendor.links.incident && html`<a href="${vendor.links.incident}" rel="noreferrer">${t('incidentLink')}</a>`].filter((l) => l);
  return html`${vendor.recommendedActions ? html`<h3>${t('recommendedActions')}</h3><pre class="recommended-actions">${vendor.recommendedActions}</pre>` : ''}
${table(t('registry'), c('hive', 'key', 'valueName', 'value'), vendor.registry.map((r) => [r.hive, code(r.key), r.valueName, code(r.value)]), 'registry')}
${table(t('mailboxes'), c('address', 'upn', 'name'), vendor.mailboxes.map((m) => [m.address, m.upn, m.displayName]), 'mailboxes')}
${table(t('other'), c('type', 'verdict', 'details'), vendor.otherEvidence.map((o) => [o.type, o.verdict, lines(Object.entries(o.details).map(([k, v]) => `${k}: ${v}`))]), 'other-evidence')}
${links.length > 0 ? html`<p class="vendor-links">${links.map((l, i) => html`${i > 0 ? ' · ' : ''}${l}`)}</p>` : ''}`;
}

type Say = (key: string) => string;
type Columns = (...keys: string[]) => string[];

/** The evidence in the viewer's language (headings and columns; the vendor's texts stay as sent). */
export function evidenceSection(evidence: AlertEvidence, view: DashboardView): Html {
  const { correlation } = evidence;
  const t: Say = (key) => say(view, `evidence.${key}`);
  const c: Columns = (...keys) => keys.map((key) => t(`col.${key}`));
  return html`<section class="evidence"><h2>${t('title')}</h2>
${evidence.description ? html`<p class="description">${evidence.description}</p>` : ''}
${evidence.vendor?.category ? html`<p>${t('category')}: ${evidence.vendor.category}${evidence.vendor.serviceSource ? html` · ${evidence.vendor.serviceSource}` : ''}</p>` : ''}
${table(t('techniques'), c('id', 'name'), evidence.techniques.map((t) => [html`<a href="${t.url}" rel="noreferrer">${t.id}</a>`, t.name ?? '']), 'techniques')}
${table(
  t('rules'),
  c('rule', 'level', 'description', 'references'),
  evidence.matchedRules.map((r) => [html`${r.title} <small>${r.ruleId}</small>`, t(`ruleLevel.${r.level}`), r.description, lines(r.references ?? [])]),
  'rules',
)}
${
  correlation
    ? html`<p class="correlation">${t('correlated')}: ${say(view, 'evidence.correlatedText', {
        rule: correlation.ruleId,
        field: correlation.entity.field,
        value: correlation.entity.value,
        hits: num(correlation.hits, view),
        from: when(correlation.windowStart, view),
        to: when(correlation.windowEnd, view),
      })}</p>`
    : ''
}
${entityTables(evidence, t, c)}
${vendorPart(evidence, t, c)}</section>`;
}
