/** The embedded set-up's outbox (admin, `npm start` only): every message the engine sent to the local mail and SMS/voice sinks. */
import { readOutbox } from '../../infra/outbox/outboxFile';
import { may } from '../../domain/access/roles';
import { ForbiddenError, NotFoundError } from '../../domain/refusals';
import { page, when } from './dashboardLayout';
import type { DashboardSession } from './dashboardSessions';
import { html, type Html } from './html';

const SHOWN = 200;

/** `outboxFile` is null outside the embedded set-up: there is no outbox then, the page is absent. */
export function outboxPage(outboxFile: string | null | undefined, session: DashboardSession): Html {
  if (!outboxFile) throw new NotFoundError('No outbox outside the embedded set-up');
  if (!may(session.principal, 'readOutbox')) throw new ForbiddenError(`Role '${session.principal.role}' may not read the outbox`);
  const entries = readOutbox(outboxFile, SHOWN);
  return page(
    'Outbox',
    session,
    html`<p class="note">The embedded set-up sends every e-mail, SMS and call to local sinks instead of real providers: the newest ${SHOWN} are listed here (file ${outboxFile}).</p>
${
  entries.length === 0
    ? html`<p class="note">No message sent yet.</p>`
    : html`<table class="outbox"><thead><tr><th>Sent</th><th>Channel</th><th>Recipient</th><th>Language</th><th>Subject and text</th></tr></thead><tbody>
${entries.map(
  (e) =>
    html`<tr><td>${when(e.at)}</td><td>${e.channel}</td><td>${e.recipient}</td><td>${e.language ?? ''}</td><td>${e.subject ? html`<strong>${e.subject}</strong><br>` : ''}<pre>${e.text}</pre></td></tr>`,
)}</tbody></table>`
}`,
  );
}
