/**
 * sipgate.io's push events for the engine's escalation calls (R19), each accepted only with a valid
 * X-Sipgate-Signature (RSA-SHA256 over the raw body, checked with sipgate's public key by the official library):
 * `newCall` (the engine's outgoing call, posted to the URL set in sipgate's webhook settings, once the on-call person
 * answered: recorded as the page's delivery report, R8) is answered with a Gather that plays the SOC's recorded
 * announcement and asks for one key; `dtmf` (posted to the Gather's onData) is
 * the key: 1 on one of an alert's delivered escalation calls takes the incident like a claim, through the same signed
 * Update as Twilio's key press. sipgate's events carry the call's id only; the alert is found among the unclaimed
 * critical incidents (the only alerts that page), whose record holds the call's session id as the page's message id.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { DataEvent } from 'sipgateio';
import { PHONE_CALLBACK_PATH } from '../../activities/notification/phoneCallbacks';
import type { NotificationRecord } from '../../domain/alertLifecycle';
import type { Language } from '../../domain/i18n/language';
import { ALERT_STATE, SEVERITY } from '../../domain/searchAttributes';
import type { CallerSigner } from '../../infra/crypto/callerSigner';
import { acknowledgeByPhoneUpdate, alertStatusQuery, phoneDeliveryReportSignal } from '../../workflows/messages';
import { announcementPath, type AnnouncementName } from './announcements';

/** How long sipgate waits for the key after the announcement (ms; sipgate's default is 2000). */
const KEY_TIMEOUT_MS = 10_000;
/** Bound on reading one alert's record while looking for the call (a workflow whose worker is away answers no query). */
const QUERY_DEADLINE_MS = 3_000;

export interface SipgateCallbackDeps {
  client: Client;
  /** The engine's task queue: its alerts are the only ones whose calls it placed. */
  taskQueue: string;
  /** The API's public address as sipgate reaches it (SOAR_PHONE_CALLBACK_URL). */
  publicBaseUrl: string;
  socLanguage: Language;
  signer: CallerSigner;
  now: () => Date;
  /** Where a delivery report that could not be recorded is told (the call goes on regardless). */
  logError: (line: string, error: unknown) => void;
  /** True when `signature` is sipgate's over `body`: the library's check with sipgate's public key (engine/composeEngine.ts). */
  signedBySipgate: (signature: string, body: string) => boolean;
}

export type SipgateOutcome = { status: 200; xml: string } | { status: 400 | 403; error: string };

export class SipgateCallbacks {
  constructor(private readonly deps: SipgateCallbackDeps) {}

  /** One push event: its raw form body (the signature covers exactly these bytes) and its X-Sipgate-Signature. */
  async event(body: string, signature: string | undefined): Promise<SipgateOutcome> {
    if (!signature || !this.verified(signature, body)) return { status: 403, error: 'missing or invalid X-Sipgate-Signature' };
    const fields = new URLSearchParams(body);
    const event = fields.get('event');
    if (event === 'newCall') return this.newCall({ direction: fields.get('direction'), callId: fields.get('callId') ?? '' });
    if (event === 'dtmf') return this.keyPress({ callId: fields.get('callId') ?? '', dtmf: fields.get('dtmf') ?? '' });
    if (event === 'answer' || event === 'hangup') return { status: 200, xml: response('') }; // sipgate discards the answer to these
    return { status: 400, error: `unknown sipgate event '${event ?? ''}'` };
  }

  /**
   * The engine's own calls are outgoing: they hear the announcement; anything else sipgate reports proceeds untouched.
   * sipgate pushes the outgoing leg only once the on-call person, rung first, has answered: for one of an alert's
   * escalation calls that is the provider's proof that the person was reached (R8), recorded like Twilio's
   * `completed`. The record waits for no one: when the alert cannot be read in time, the announcement plays anyway.
   */
  private async newCall(call: { direction: string | null; callId: string }): Promise<SipgateOutcome> {
    if (call.direction !== 'out') return { status: 200, xml: response('') };
    if (/^[A-Za-z0-9]{1,200}$/.test(call.callId)) await this.reportAnswered(call.callId).catch((error: unknown) => this.deps.logError(`sipgate: the answered report of call ${call.callId} was not recorded`, error));
    const onData = `${this.base()}${PHONE_CALLBACK_PATH}/sipgate`;
    return { status: 200, xml: response(`<Gather onData="${xmlText(onData)}" maxDigits="1" timeout="${KEY_TIMEOUT_MS}">${this.play('takeIncident')}</Gather>`) };
  }

  private async reportAnswered(callId: string): Promise<void> {
    const { client } = this.deps;
    const found = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => this.escalationCall(callId));
    if (!found) return;
    const report = { status: 'answered', reached: true, at: this.deps.now().toISOString(), errorCode: null };
    await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => client.workflow.getHandle(found.alertId).signal(phoneDeliveryReportSignal, { messageId: callId, report }));
  }

  private async keyPress(press: Pick<DataEvent, 'callId' | 'dtmf'>): Promise<SipgateOutcome> {
    if (!/^[A-Za-z0-9]{1,200}$/.test(press.callId)) return { status: 400, error: 'the dtmf event has no valid callId' };
    const digits = press.dtmf.slice(0, 10);
    if (digits === '') return { status: 200, xml: response(this.play('noInput')) };
    const found = await this.escalationCall(press.callId);
    if (!found) return { status: 200, xml: response(this.play('notTaken')) };
    try {
      await this.deps.client.workflow
        .getHandle(found.alertId)
        .executeUpdate(
          acknowledgeByPhoneUpdate,
          this.deps.signer.update({ principal: 'phone:sipgate', role: 'phone-callback', tenant: null }, found.alertId, acknowledgeByPhoneUpdate, { callId: press.callId, digits, number: found.call.recipient }),
        );
    } catch (error) {
      if (!(error instanceof WorkflowUpdateFailedError) && !(error instanceof WorkflowNotFoundError)) throw error;
      return { status: 200, xml: response(this.play('notTaken')) };
    }
    return { status: 200, xml: response(this.play('taken')) };
  }

  /**
   * The delivered escalation call with this session id, and its alert. sipgate's dtmf event carries no number: the
   * number recorded is the one the call rang, the on-call person's, where the key was pressed.
   */
  private async escalationCall(callId: string): Promise<{ alertId: string; call: NotificationRecord } | null> {
    const { client, taskQueue } = this.deps;
    const query = `WorkflowType = 'alertWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue.replace(/'/g, '')}' AND ${ALERT_STATE.name} = 'awaiting_triage' AND ${SEVERITY.name} = 'critical'`;
    for await (const execution of client.workflow.list({ query })) {
      const status = await client
        .withDeadline(Date.now() + QUERY_DEADLINE_MS, () => client.workflow.getHandle(execution.workflowId).query(alertStatusQuery))
        .catch(() => null);
      const call = status?.notifications.find((n) => n.messageId === callId && n.channel === 'voice' && n.purpose === 'escalation' && n.delivered);
      if (call) return { alertId: execution.workflowId, call };
    }
    return null;
  }

  private verified(signature: string, body: string): boolean {
    try {
      return this.deps.signedBySipgate(signature, body);
    } catch {
      return false; // not base64, not a signature at all
    }
  }

  private play(name: AnnouncementName): string {
    return `<Play><Url>${xmlText(`${this.base()}${announcementPath(this.deps.socLanguage, name)}`)}</Url></Play>`;
  }

  private base(): string {
    return this.deps.publicBaseUrl.replace(/\/+$/, '');
  }
}

function response(inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
