/** Liveness and readiness: `/readyz` is ready only while the workflow service answers, and names the detection rule set in use. */
import { Router } from 'express';
import type { DetectionStatus } from '../../activities/analysis/liveDetectionRules';

export function healthRoutes(isReady: () => Promise<boolean>, detectionStatus?: () => DetectionStatus): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const ready = await isReady().catch(() => false);
    const detectionRules = detectionStatus ? { detectionRules: detectionStatus() } : {};
    response
      .status(ready ? 200 : 503)
      .json(ready ? { status: 'ok', ...detectionRules } : { status: 'unavailable', detail: 'the workflow service does not answer', ...detectionRules });
  });
  return router;
}
