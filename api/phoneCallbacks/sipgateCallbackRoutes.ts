/**
 * sipgate.io's push events (POST /callbacks/phone/sipgate: newCall, dtmf; no API key, the signature authenticates)
 * and the recorded announcements sipgate fetches for its Play (GET .../announcements/{language}/{name}.wav).
 */
import express, { Router, type Request, type Response } from 'express';
import { PHONE_CALLBACK_PATH } from '../../activities/notification/phoneCallbacks';
import type { Announcements } from './announcements';
import type { SipgateCallbacks } from './sipgateCallbacks';

export function sipgateCallbackRoutes(callbacks: SipgateCallbacks, announcements: Announcements): Router {
  const router = Router();
  // The raw bytes: sipgate signs the body exactly as sent.
  const raw = express.text({ type: 'application/x-www-form-urlencoded', limit: '64kb' });
  router.post(`${PHONE_CALLBACK_PATH}/sipgate`, raw, async (request: Request, response: Response) => {
    const body = typeof request.body === 'string' ? request.body : '';
    const outcome = await callbacks.event(body, request.header('x-sipgate-signature'));
    if (outcome.status === 200) response.status(200).type('application/xml').send(outcome.xml);
    else response.status(outcome.status).json({ error: outcome.error });
  });
  router.get(`${PHONE_CALLBACK_PATH}/sipgate/announcements/:language/:file`, (request: Request, response: Response) => {
    const audio = announcements.get(request.path);
    if (!audio) {
      response.status(404).json({ error: 'no such announcement' });
      return;
    }
    response.status(200).type('audio/wav').set('cache-control', 'public, max-age=3600').send(audio);
  });
  return router;
}
