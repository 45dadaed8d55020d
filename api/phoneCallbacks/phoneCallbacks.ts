/**
 * Twilio's callbacks to the engine: delivery reports (R8) and the key press on an escalation call (R19). Each is
 * accepted only with a valid X-Twilio-Signature, checked by the official library against the account's auth token
 * and the public URL Twilio called; then it goes to the alert's workflow. Phone numbers go into the workflow's
 * (encrypted) payloads only, never into a log line.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import twilio from 'twilio';
import { ALERT_ID_PATTERN } from '../../domain/alertIdentity';
import { message } from '../../domain/i18n/messages';
import type { Language } from '../../domain/i18n/language';
import { acknowledgeByPhoneUpdate, phoneDeliveryReportSignal } from '../../workflows/messages';
import type { CallerSigner } from '../../infra/crypto/callerSigner';

/** Final statuses only: the SMS reached the phone or not, the call was answered (completed) or not. */
const FINAL_STATUSES: Readonly<Record<string, boolean>> = {
  delivered: true,
  read: true,
  undelivered: false,
  failed: false,
  completed: true,
  busy: false,
  'no-answer': false,
  canceled: false,
};

export interface PhoneCallbackDeps {
  client: Client;
  /** The API's public address as Twilio calls it (SOAR_PHONE_CALLBACK_URL). */
  publicBaseUrl: string;
  /** The account's auth token, resolved on each callback (a rotated token applies at once). */
  authToken: () => string;
  socLanguage: Language;
  now: () => Date;
  /** Signs the key press as the API's own Update (domain/callerAssertion.ts): only a callback Twilio signed reaches it. */
  signer: CallerSigner;
}

export type CallbackOutcome = { status: 204 } | { status: 400 | 403 | 404; error: string } | { status: 200; twiml: string };

export class PhoneCallbacks {
  constructor(private readonly deps: PhoneCallbackDeps) {}

  /** True when the signature is Twilio's for this exact URL (path and query as received) and these form fields. */
  signedByTwilio(originalUrl: string, signature: string | undefined, fields: Record<string, string>): boolean {
    if (!signature) return false;
    const url = `${this.deps.publicBaseUrl.replace(/\/+$/, '')}${originalUrl}`;
    return twilio.validateRequest(this.deps.authToken(), signature, url, fields);
  }

  async statusReport(alertId: string, fields: Record<string, string>): Promise<CallbackOutcome> {
    if (!ALERT_ID_PATTERN.test(alertId)) return { status: 400, error: 'the alert query parameter is not an alert id' };
    const messageId = fields['MessageSid'] ?? fields['CallSid'];
    const status = fields['MessageStatus'] ?? fields['CallStatus'];
    if (!messageId || !status) return { status: 400, error: 'neither MessageSid/MessageStatus nor CallSid/CallStatus in the form' };
    const reached = FINAL_STATUSES[status];
    if (reached === undefined) return { status: 204 }; // queued, sent, ringing...: the final report follows
    const errorCode = fields['ErrorCode'] ? fields['ErrorCode'].slice(0, 20) : null;
    try {
      await this.deps.client.workflow.getHandle(alertId).signal(phoneDeliveryReportSignal, { messageId, report: { status, reached, at: this.deps.now().toISOString(), errorCode } });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return { status: 404, error: `no running alert '${alertId}'` };
      throw error;
    }
    return { status: 204 };
  }

  /** The Gather's action: the digit pressed on an escalation call. Answers TwiML the caller hears. */
  async keyPress(alertId: string, fields: Record<string, string>): Promise<CallbackOutcome> {
    if (!ALERT_ID_PATTERN.test(alertId)) return { status: 400, error: 'the alert query parameter is not an alert id' };
    const callId = fields['CallSid'];
    const number = fields['To'] ?? fields['Called'];
    if (!callId || !number) return { status: 400, error: 'CallSid and To are required' };
    const digits = (fields['Digits'] ?? '').slice(0, 10);
    let taken: boolean;
    try {
      await this.deps.client.workflow.getHandle(alertId).executeUpdate(acknowledgeByPhoneUpdate, this.deps.signer.update({ principal: 'phone:twilio', role: 'phone-callback', tenant: null }, alertId, acknowledgeByPhoneUpdate, { callId, digits, number }));
      taken = true;
    } catch (error) {
      if (!(error instanceof WorkflowUpdateFailedError) && !(error instanceof WorkflowNotFoundError)) throw error;
      taken = false;
    }
    return { status: 200, twiml: this.spoken(taken ? 'phoneCall.taken' : 'phoneCall.notTaken') };
  }

  private spoken(key: string): string {
    const language = this.deps.socLanguage;
    const response = new twilio.twiml.VoiceResponse();
    response.say({ language: language === 'de' ? 'de-DE' : 'en-GB' }, message(language, key));
    return response.toString();
  }
}
