/** The embedded set-up's outbox (admin, `npm start` only): every message the engine sent to the local mail and SMS/voice sinks. */
import { readOutbox } from '../../infra/outbox/outboxFile';
import { may } from '../../domain/access/roles';
import { ForbiddenError, NotFoundError } from '../../domain/refusals';
import { page, say, when, type DashboardView } from './dashboardLayout';
import { html, type Html } from './html';

const SHOWN = 200;

/** `outboxFile` is null outside the embedded set-up: there is no outbox then, the page is absent. */
export function outboxPage(outboxFile: string | null | undefined, session: DashboardView): Html {
  if (!outboxFile) throw new NotFoundError('No outbox outside the embedded set-up');
  if (!may(session.principal, 'readOutbox')) throw new ForbiddenError(`Role '${session.principal.role}' may not read the outbox`);
  const entries = readOutbox(outboxFile, SHOWN);
  const t = (key: string, params: Record<string, string | number> = {}) => say(session, `outbox.${key}`, params);
  return page(
    t('title'),
    session,
    html`<p class="note">${t('note', { count: SHOWN, file: outboxFile })}</p>
${
  entries.length === 0
    ? html`<p class="note">${t('none')}</p>`
    : html`<table class="outbox"><thead><tr><th>${t('sent')}</th><th>${t('channel')}</th><th>${t('recipient')}</th><th>${t('language')}</th><th>${t('text')}</th></tr></thead><tbody>
${entries.map(
  (e) =>
    html`<tr><td>${when(e.at, session)}</td><td>${e.channel}</td><td>${e.recipient}</td><td>${e.language ?? ''}</td><td>${e.subject ? html`<strong>${e.subject}</strong><br>` : ''}<pre>${e.text}</pre></td></tr>`,
)}</tbody></table>`
}`,
  );
}
