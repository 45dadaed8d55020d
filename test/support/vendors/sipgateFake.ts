/**
 * sipgate's REST API v2 as documented (api.sipgate.com/v2), HTTP Basic with a personal access token (token id and
 * token), 401 for bad credentials, 403 for an extension the token may not use:
 * - `POST /sessions/sms` with `{ smsId, recipient, message }`: 204 No Content when taken (no message id, no report);
 * - `POST /sessions/calls` with `{ caller, callee, deviceId }`: `{ sessionId }`; sipgate rings `caller` first, then
 *   dials `callee` with the device.
 * Like sipgate.io it pushes the call's events to the webhook URL of the account's settings, as form posts with
 * X-Sipgate-Signature (RSA-SHA256 over the body, base64): `newCall` for the outgoing leg (callId = the session id),
 * then `dtmf` to the onData URL of the Gather the answer asked for. The fake cannot hold sipgate's private key: it
 * signs with a key pair of its own, whose public key a test gives the engine under test (see `verifies`).
 */
import { createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { startHttpsFake, type RecordedRequest, type RunningFake } from './httpsFake';

export interface SentSms {
  smsId: string;
  recipient: string;
  message: string;
}

export interface PlacedCall {
  sessionId: string;
  caller: string;
  callee: string;
  deviceId: string | undefined;
}

/** What the engine answered to a push, and the Gather in it. */
export interface PushAnswer {
  status: number;
  body: string;
  /** The Gather's onData URL and the announcement it plays, when the answer is a Gather. */
  gather: { onData: string; maxDigits: string; timeout: string; announcement: string } | null;
  /** The URL of a Play outside a Gather (the answer to a key). */
  play: string | null;
}

export interface RunningSipgateFake extends RunningFake {
  requests: RecordedRequest[];
  sent: SentSms[];
  calls: PlacedCall[];
  /** The next requests answer these statuses, in order. */
  failNext(...statuses: number[]): void;
  /** The account's webhook URL for outgoing calls (sipgate.io settings). */
  setWebhookUrl(url: string): void;
  /** The called person answered: sipgate dials the callee and pushes `newCall` for the outgoing leg. */
  answer(sessionId: string): Promise<PushAnswer>;
  /** A key pressed during the Gather of call `sessionId` (empty: none within its timeout); `signWith: 'other-key'` signs with a key that is not the fake's. */
  pressKey(sessionId: string, onData: string, digits: string, options?: { signWith?: 'other-key' | 'none' }): Promise<PushAnswer>;
  /** Checks a signature as sipgate's public key would, with the fake's own public key: what a test engine is given. */
  verifies(signature: string, body: string): boolean;
}

export async function startSipgateFake(options: { tokenId: string; token: string; smsIds: string[]; deviceIds?: string[] }): Promise<RunningSipgateFake> {
  const requests: RecordedRequest[] = [];
  const sent: SentSms[] = [];
  const calls: PlacedCall[] = [];
  const failures: number[] = [];
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let webhookUrl: string | null = null;
  const expectedAuth = `Basic ${Buffer.from(`${options.tokenId}:${options.token}`).toString('base64')}`;
  const fake = await startHttpsFake('sipgate', requests, (request) => {
    if (request.authorization !== expectedAuth) return { status: 401 };
    const route = request.method === 'POST' ? request.path : '';
    if (route !== '/v2/sessions/sms' && route !== '/v2/sessions/calls') return { status: 404 };
    const failure = failures.shift();
    if (failure !== undefined) return { status: failure };
    if (route === '/v2/sessions/sms') {
      const body = request.body as Partial<SentSms> | undefined;
      if (typeof body?.smsId !== 'string' || typeof body.recipient !== 'string' || typeof body.message !== 'string') return { status: 400 };
      if (!options.smsIds.includes(body.smsId)) return { status: 403 };
      sent.push({ smsId: body.smsId, recipient: body.recipient, message: body.message });
      return { status: 204 };
    }
    const body = request.body as Partial<PlacedCall> | undefined;
    if (typeof body?.caller !== 'string' || typeof body.callee !== 'string') return { status: 400 };
    if (body.deviceId !== undefined && !(options.deviceIds ?? []).includes(body.deviceId)) return { status: 403 };
    const sessionId = randomBytes(20).toString('hex').toUpperCase();
    calls.push({ sessionId, caller: body.caller, callee: body.callee, deviceId: body.deviceId });
    return { status: 200, body: { sessionId } };
  });

  const sign = (body: string, key: 'own' | 'other-key') => createSign('RSA-SHA256').update(body).sign((key === 'own' ? keys : otherKeys).privateKey, 'base64');
  const push = async (url: string, fields: Record<string, string>, signWith: 'own' | 'other-key' | 'none' = 'own'): Promise<PushAnswer> => {
    const body = new URLSearchParams(fields).toString();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'sipgate.io', ...(signWith === 'none' ? {} : { 'x-sipgate-signature': sign(body, signWith) }) },
      body,
    });
    const text = await response.text();
    const gather = /<Gather onData="([^"]+)" maxDigits="([^"]+)" timeout="([^"]+)"><Play><Url>([^<]+)<\/Url><\/Play><\/Gather>/.exec(text);
    const play = gather ? null : (/<Play><Url>([^<]+)<\/Url><\/Play>/.exec(text)?.[1] ?? null);
    const unescape = (value: string) => value.replace(/&amp;/g, '&');
    return {
      status: response.status,
      body: text,
      gather: gather ? { onData: unescape(gather[1] ?? ''), maxDigits: gather[2] ?? '', timeout: gather[3] ?? '', announcement: unescape(gather[4] ?? '') } : null,
      play: play && unescape(play),
    };
  };
  const find = (sessionId: string) => {
    const call = calls.find((c) => c.sessionId === sessionId);
    if (!call) throw new Error(`The sipgate fake placed no call ${sessionId}`);
    return call;
  };

  return {
    ...fake,
    requests,
    sent,
    calls,
    failNext: (...statuses) => failures.push(...statuses),
    setWebhookUrl: (url) => {
      webhookUrl = url;
    },
    async answer(sessionId) {
      const call = find(sessionId);
      if (!webhookUrl) throw new Error('No webhook URL for outgoing calls is set at the sipgate fake');
      // sipgate's numbers without the plus; the outgoing leg is the device's call to the callee.
      return push(webhookUrl, {
        event: 'newCall',
        direction: 'out',
        from: '4928219990000',
        to: call.callee.replace(/^\+/, ''),
        callId: sessionId,
        origCallId: sessionId,
        'user[]': 'SOC Engine',
        'userId[]': 'w0',
        'fullUserId[]': '1234567w0',
        xcid: randomBytes(8).toString('hex'),
      });
    },
    async pressKey(sessionId, onData, digits, pressOptions = {}) {
      return push(onData, { event: 'dtmf', dtmf: digits, callId: sessionId, origCallId: sessionId }, pressOptions.signWith ?? 'own');
    },
    verifies: (signature, body) => createVerify('RSA-SHA256').update(body).verify(keys.publicKey, Buffer.from(signature, 'base64')),
  };
}
