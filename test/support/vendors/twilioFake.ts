/**
 * Twilio's REST API as documented (api.twilio.com/2010-04-01): Messages and Calls created by form posts with HTTP
 * Basic account SID and auth token, answered with the resource's JSON (`sid`, `status` queued) or Twilio's error body
 * (`code`, `message`, `more_info`, `status`); lists them by `To` and `From` as Twilio's list reads do. Like Twilio
 * it calls back: status callbacks and a Gather's action, as form posts signed with X-Twilio-Signature (HMAC-SHA1 of
 * the URL and the sorted fields, keyed with the auth token), computed here from Twilio's description, not by the
 * library the engine checks them with.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { startHttpsFake, type RecordedRequest, type RunningFake } from './httpsFake';

export interface TwilioFakeOptions {
  accountSid: string;
  authToken: string;
}

export interface TwilioResource {
  kind: 'message' | 'call';
  sid: string;
  to: string;
  from: string;
  /** The SMS text, or the call's TwiML. */
  content: string;
  statusCallback: string | undefined;
  createdAt: Date;
}

/** A programmed answer to the next create: Twilio's error body with this status and code. */
export interface TwilioFailure {
  status: number;
  code: number;
  message: string;
}

export interface RunningTwilioFake extends RunningFake {
  requests: RecordedRequest[];
  created: TwilioResource[];
  /** The next creates fail so, in order. */
  failNext(...failures: TwilioFailure[]): void;
  /** Twilio's status callback for a message or call; answers the engine's HTTP status. */
  report(sid: string, status: string, extra?: Record<string, string>): Promise<number>;
  /** The person on the call pressed `digits`: Twilio posts to the Gather's action; answers the engine's status and TwiML. */
  pressKey(callSid: string, digits: string, options?: { signWith?: string }): Promise<{ status: number; body: string }>;
}

/** X-Twilio-Signature as Twilio describes it: base64 HMAC-SHA1 over the URL followed by each field name and value, sorted by name. */
export function twilioSignature(authToken: string, url: string, fields: Record<string, string>): string {
  const data = Object.keys(fields)
    .sort()
    .reduce((text, name) => text + name + fields[name], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

const sidOf = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

export async function startTwilioFake(options: TwilioFakeOptions): Promise<RunningTwilioFake> {
  const requests: RecordedRequest[] = [];
  const created: TwilioResource[] = [];
  const failures: TwilioFailure[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const base = `/2010-04-01/Accounts/${options.accountSid}`;

  const fake = await startHttpsFake('twilio', requests, (request) => {
    if (request.authorization !== expectedAuth) {
      return { status: 401, body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } };
    }
    if (request.method === 'GET' && (request.path === `${base}/Messages.json` || request.path === `${base}/Calls.json`)) return listPage(request);
    const kind = request.method === 'POST' && request.path === `${base}/Messages.json` ? 'message' : request.method === 'POST' && request.path === `${base}/Calls.json` ? 'call' : null;
    if (kind === null) return { status: 404, body: { code: 20404, message: 'The requested resource was not found', more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 } };
    const failure = failures.shift();
    if (failure) return { status: failure.status, body: { code: failure.code, message: failure.message, more_info: `https://www.twilio.com/docs/errors/${failure.code}`, status: failure.status } };
    const form = request.body as Record<string, string>;
    const content = kind === 'message' ? form['Body'] : form['Twiml'];
    if (!form['To'] || !form['From'] || !content) {
      return { status: 400, body: { code: 21604, message: "A 'To', 'From' and Body or Twiml are required", more_info: 'https://www.twilio.com/docs/errors/21604', status: 400 } };
    }
    const resource: TwilioResource = { kind, sid: sidOf(kind === 'message' ? 'SM' : 'CA'), to: form['To'], from: form['From'], content, statusCallback: form['StatusCallback'], createdAt: new Date() };
    created.push(resource);
    return { status: 201, body: resourceJson(resource) };
  });

  /** A resource as Twilio answers it (RFC 2822 times in whole seconds); a call's TwiML is not part of it, as at Twilio. */
  function resourceJson(resource: TwilioResource) {
    const path = `${base}/${resource.kind === 'message' ? 'Messages' : 'Calls'}/${resource.sid}.json`;
    return {
      sid: resource.sid,
      account_sid: options.accountSid,
      api_version: '2010-04-01',
      to: resource.to,
      from: resource.from,
      status: 'queued',
      direction: 'outbound-api',
      date_created: resource.createdAt.toUTCString(),
      uri: path,
      ...(resource.kind === 'message' ? { body: resource.content, num_segments: '1', error_code: null, error_message: null } : { parent_call_sid: null, price: null }),
    };
  }

  /** Twilio's list read (GET Messages.json, Calls.json) with its `To` and `From` filters, newest first, one page. */
  function listPage(request: RecordedRequest) {
    const kind = request.path.endsWith('/Messages.json') ? 'message' : 'call';
    const { To: to, From: from, PageSize: pageSize } = request.query;
    const size = Math.min(Number(pageSize ?? 50), 1000);
    const items = created
      .filter((r) => r.kind === kind && (to === undefined || r.to === to) && (from === undefined || r.from === from))
      .reverse()
      .slice(0, size)
      .map(resourceJson);
    const key = kind === 'message' ? 'messages' : 'calls';
    const uri = `${request.path}?${new URLSearchParams(request.query).toString()}`;
    return { status: 200, body: { [key]: items, first_page_uri: uri, next_page_uri: null, previous_page_uri: null, page: 0, page_size: size, uri, start: 0, end: items.length - 1 } };
  }

  const find = (sid: string) => {
    const resource = created.find((r) => r.sid === sid);
    if (!resource) throw new Error(`The Twilio fake created no resource ${sid}`);
    return resource;
  };
  const post = async (url: string, fields: Record<string, string>, signWith: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(signWith, url, fields), 'user-agent': 'TwilioProxy/1.1' },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: response.status, body: await response.text() };
  };

  return {
    ...fake,
    requests,
    created,
    failNext: (...next) => failures.push(...next),
    async report(sid, status, extra = {}) {
      const resource = find(sid);
      if (!resource.statusCallback) throw new Error(`${sid} was created without a StatusCallback`);
      const fields =
        resource.kind === 'message'
          ? { AccountSid: options.accountSid, MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, To: resource.to, From: resource.from, ApiVersion: '2010-04-01', ...extra }
          : { AccountSid: options.accountSid, CallSid: sid, CallStatus: status, To: resource.to, Called: resource.to, From: resource.from, Direction: 'outbound-api', ApiVersion: '2010-04-01', ...extra };
      return (await post(resource.statusCallback, fields, options.authToken)).status;
    },
    async pressKey(callSid, digits, pressOptions = {}) {
      const resource = find(callSid);
      const action = /<Gather [^>]*action="([^"]+)"/.exec(resource.content)?.[1];
      if (!action) throw new Error(`The TwiML of ${callSid} has no Gather with an action: ${resource.content}`);
      const url = action.replace(/&amp;/g, '&');
      const fields = { AccountSid: options.accountSid, CallSid: callSid, CallStatus: 'in-progress', Digits: digits, FinishedOnKey: '', To: resource.to, Called: resource.to, From: resource.from, Direction: 'outbound-api', ApiVersion: '2010-04-01' };
      return post(url, fields, pressOptions.signWith ?? options.authToken);
    },
  };
}
