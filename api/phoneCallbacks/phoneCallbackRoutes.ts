/** POST /callbacks/phone/twilio/{status,keypress}: Twilio's signed form posts (no API key: the signature authenticates). */
import express, { Router, type Request, type Response } from 'express';
import { PHONE_CALLBACK_PATH } from '../../activities/notification/phoneCallbacks';
import type { CallbackOutcome, PhoneCallbacks } from './phoneCallbacks';

function formFields(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function answer(response: Response, outcome: CallbackOutcome): void {
  if (outcome.status === 204) response.status(204).end();
  else if (outcome.status === 200) response.status(200).type('text/xml').send(outcome.twiml);
  else response.status(outcome.status).json({ error: outcome.error });
}

export function phoneCallbackRoutes(callbacks: PhoneCallbacks): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });
  const handle = (run: (alertId: string, fields: Record<string, string>) => Promise<CallbackOutcome>) => async (request: Request, response: Response) => {
    const fields = formFields(request.body);
    // Refused before anything is read from the form: only Twilio, with the account's token, signs these.
    if (!callbacks.signedByTwilio(request.originalUrl, request.header('x-twilio-signature'), fields)) {
      response.status(403).json({ error: 'missing or invalid X-Twilio-Signature' });
      return;
    }
    const alertId = typeof request.query['alert'] === 'string' ? request.query['alert'] : '';
    answer(response, await run(alertId, fields));
  };
  router.post(`${PHONE_CALLBACK_PATH}/twilio/status`, form, handle((alertId, fields) => callbacks.statusReport(alertId, fields)));
  router.post(`${PHONE_CALLBACK_PATH}/twilio/keypress`, form, handle((alertId, fields) => callbacks.keyPress(alertId, fields)));
  return router;
}
