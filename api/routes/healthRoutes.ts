/** Liveness and readiness: `/readyz` is ready only while the workflow service answers. */
import { Router } from 'express';

export function healthRoutes(isReady: () => Promise<boolean>): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const ready = await isReady().catch(() => false);
    response.status(ready ? 200 : 503).json(ready ? { status: 'ok' } : { status: 'unavailable', detail: 'the workflow service does not answer' });
  });
  return router;
}
