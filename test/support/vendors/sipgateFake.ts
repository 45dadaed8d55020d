/**
 * sipgate's REST API v2 for SMS as documented (api.sipgate.com/v2): `POST /sessions/sms` with `{ smsId, recipient,
 * message }` as JSON and HTTP Basic with a personal access token (token id and token); 204 No Content when taken,
 * 401 for bad credentials, 403 for an SMS extension the token may not use.
 */
import { startHttpsFake, type RecordedRequest, type RunningFake } from './httpsFake';

export interface SentSms {
  smsId: string;
  recipient: string;
  message: string;
}

export interface RunningSipgateFake extends RunningFake {
  requests: RecordedRequest[];
  sent: SentSms[];
  /** The next requests answer these statuses, in order. */
  failNext(...statuses: number[]): void;
}

export async function startSipgateFake(options: { tokenId: string; token: string; smsIds: string[] }): Promise<RunningSipgateFake> {
  const requests: RecordedRequest[] = [];
  const sent: SentSms[] = [];
  const failures: number[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${options.tokenId}:${options.token}`).toString('base64')}`;
  const fake = await startHttpsFake('sipgate', requests, (request) => {
    if (request.authorization !== expectedAuth) return { status: 401 };
    if (request.method !== 'POST' || request.path !== '/v2/sessions/sms') return { status: 404 };
    const failure = failures.shift();
    if (failure !== undefined) return { status: failure };
    const body = request.body as Partial<SentSms> | undefined;
    if (typeof body?.smsId !== 'string' || typeof body.recipient !== 'string' || typeof body.message !== 'string') return { status: 400 };
    if (!options.smsIds.includes(body.smsId)) return { status: 403 };
    sent.push({ smsId: body.smsId, recipient: body.recipient, message: body.message });
    return { status: 204 };
  });
  return { ...fake, requests, sent, failNext: (...statuses) => failures.push(...statuses) };
}
