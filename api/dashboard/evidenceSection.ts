/** The evidence part of an alert's page: what the alert is about, in the order an analyst reads it. */
import type { AlertEvidence } from '../services/alertEvidence';
import { html, type Html, type HtmlValue } from './html';

/** A table with a heading, or nothing when there are no rows. */
function table(title: string, headings: readonly string[], rows: readonly HtmlValue[][], cssClass: string): Html | '' {
  if (rows.length === 0) return '';
  return html`<h3>${title}</h3><table class="${cssClass}"><thead><tr>${headings.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>
${rows.map((cells) => html`<tr>${cells.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody></table>`;
}

const code = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '' : html`<code>${String(value)}</code>`);
const lines = (values: readonly (string | null | undefined)[]) => values.filter((v) => v).map((v, i) => html`${i > 0 ? html`<br>` : ''}${v}`);

function entityTables(evidence: AlertEvidence): Html {
  const { users, hosts, ips, files, processes, urls } = evidence.entities;
  return html`${table('Hosts', ['Name', 'Device id', 'OS', 'IPs'], hosts.map((h) => [code(h.hostname), code(h.deviceId), h.os, h.ips.join(', ')]), 'hosts')}
${table('Users', ['Name', 'UPN', 'Domain', 'SID'], users.map((u) => [u.name, u.upn, u.domain, code(u.sid)]), 'users')}
${table('Files', ['Name', 'Path', 'Hashes'], files.map((f) => [f.name, code(f.path), lines([f.sha256 && `SHA-256 ${f.sha256}`, f.sha1 && `SHA-1 ${f.sha1}`, f.md5 && `MD5 ${f.md5}`])]), 'files')}
${table('Processes', ['PID', 'Command line', 'Image', 'User', 'Parent image'], processes.map((p) => [p.pid, code(p.commandLine), code(p.imagePath), p.user, code(p.parentImagePath)]), 'processes')}
${table('IP addresses', ['Address', 'Role', 'Country'], ips.map((i) => [code(i.address), i.role, i.countryCode]), 'ips')}
${table('URLs', ['URL'], urls.map((u) => [code(u.url)]), 'urls')}`;
}

function vendorPart(evidence: AlertEvidence): Html | '' {
  const vendor = evidence.vendor;
  if (!vendor) return '';
  const links = [vendor.links.alert && html`<a href="${vendor.links.alert}" rel="noreferrer">Alert in the vendor's portal</a>`, vendor.links.incident && html`<a href="${vendor.links.incident}" rel="noreferrer">Incident in the vendor's portal</a>`].filter((l) => l);
  return html`${vendor.recommendedActions ? html`<h3>Vendor's recommended actions</h3><pre class="recommended-actions">${vendor.recommendedActions}</pre>` : ''}
${table('Registry', ['Hive', 'Key', 'Value name', 'Value'], vendor.registry.map((r) => [r.hive, code(r.key), r.valueName, code(r.value)]), 'registry')}
${table('Mailboxes', ['Address', 'UPN', 'Name'], vendor.mailboxes.map((m) => [m.address, m.upn, m.displayName]), 'mailboxes')}
${table('Further evidence', ['Type', 'Verdict', 'Details'], vendor.otherEvidence.map((o) => [o.type, o.verdict, lines(Object.entries(o.details).map(([k, v]) => `${k}: ${v}`))]), 'other-evidence')}
${links.length > 0 ? html`<p class="vendor-links">${links.map((l, i) => html`${i > 0 ? ' · ' : ''}${l}`)}</p>` : ''}`;
}

export function evidenceSection(evidence: AlertEvidence): Html {
  const { correlation } = evidence;
  return html`<section class="evidence"><h2>Evidence</h2>
${evidence.description ? html`<p class="description">${evidence.description}</p>` : ''}
${evidence.vendor?.category ? html`<p>Category: ${evidence.vendor.category}${evidence.vendor.serviceSource ? html` · ${evidence.vendor.serviceSource}` : ''}</p>` : ''}
${table('Techniques (MITRE ATT&CK)', ['Id', 'Name'], evidence.techniques.map((t) => [html`<a href="${t.url}" rel="noreferrer">${t.id}</a>`, t.name ?? '']), 'techniques')}
${table(
  'Matched detection rules',
  ['Rule', 'Level', 'Description', 'References'],
  evidence.matchedRules.map((r) => [html`${r.title} <small>${r.ruleId}</small>`, r.level, r.description, lines(r.references ?? [])]),
  'rules',
)}
${correlation ? html`<p class="correlation">Correlated: rule ${correlation.ruleId}, ${correlation.entity.field} = ${correlation.entity.value}, ${correlation.hits} hit(s) between ${correlation.windowStart} and ${correlation.windowEnd}</p>` : ''}
${entityTables(evidence)}
${vendorPart(evidence)}</section>`;
}
