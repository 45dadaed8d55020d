/**
 * Saga-style undo: every measure that registered an undo (re-enable the user, release the isolation, remove the
 * block entry) is undone in reverse order, on a failure or on an analyst's request. The customer is told first,
 * as before any measure (R8); an undo that fails is recorded and the others still run.
 */
import { actionSpec } from '../../domain/response/actionCatalog';
import type { ActionRecord } from '../../domain/response/playbookRun';
import { describeTarget } from '../../domain/response/targets';
import { measureInWords } from '../../domain/i18n/measureWords';
import { undoNoticeMessage } from '../../domain/i18n/customerMessages';
import { languageOf } from '../../domain/i18n/language';
import { notifyPerson } from '../lifecycle/notifyPeople';
import { failureText, noticeRecipients } from './carryOutAction';
import type { PlaybookRunRecord } from './runRecord';
import { vendorActivity } from './vendorActivities';

export async function undoRegistered(run: PlaybookRunRecord, why: string, only: (action: ActionRecord) => boolean = () => true): Promise<void> {
  const registered = run.status.actions.filter((a) => a.undo?.state === 'registered' && only(a)).reverse();
  if (registered.length === 0) {
    run.record('undone', 'system', `Nothing to undo (${why})`);
    return;
  }
  const language = languageOf(run.input.tenant.language);
  await tellCustomer(run, registered.map((a) => measureInWords(language, { action: a.undo?.action ?? a.action, target: a.target, subject: null })), why);
  for (const record of registered) {
    const undo = record.undo;
    if (!undo) continue;
    try {
      const result = await vendorActivity(actionSpec(undo.action))({
        tenantId: run.status.tenantId,
        alertId: run.status.alertId,
        requestKey: `${record.key}/undo`,
        action: undo.action,
        target: record.target,
        subject: record.subject,
        params: {},
        comment: `SOC undo of ${record.key} (${why})`,
      });
      record.undo = { action: undo.action, state: 'undone', detail: result.detail };
      record.state = 'undone';
      run.record('undone', run.undoRequest?.by ?? 'system', `${undo.action} on ${describeTarget(record.target)}: ${result.detail}`);
    } catch (error) {
      const detail = failureText(error);
      record.undo = { action: undo.action, state: 'undo_failed', detail };
      record.state = 'undo_failed';
      run.record('action_failed', 'system', `Undo ${undo.action} on ${describeTarget(record.target)} failed: ${detail}`);
    }
  }
}

async function tellCustomer(run: PlaybookRunRecord, what: string[], why: string): Promise<void> {
  const { subject, body, language } = undoNoticeMessage(languageOf(run.input.tenant.language), { alertId: run.status.alertId, reason: why, measures: what });
  for (const contact of noticeRecipients(run.input.tenant.contacts, run.input.severity)) {
    await notifyPerson(run, { purpose: 'measure_notice', channel: 'email', to: contact.email, subject, body, language });
  }
}
