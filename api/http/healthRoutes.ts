/**
 * Liveness and readiness: `/readyz` is ready only while the workflow service answers, and names the detection rule set
 * in use; with an admin key it also lists the external endpoints outside Germany and their exceptions (R20).
 */
import { Router, type Request } from 'express';
import type { DetectionStatus } from '../../activities/analysis/liveDetectionRules';
import type { EndpointLocation } from '../../infra/endpointLocations';
import type { ApiKeyRegistry } from '../auth/apiKeys';

export interface EndpointDisclosure {
  keys: ApiKeyRegistry;
  outsideGermany: readonly EndpointLocation[];
}

/** The R20 listing for an admin's request; nothing for anyone else (readiness stays public). */
function endpointsFor(request: Request, disclosure: EndpointDisclosure | undefined): { endpointsOutsideGermany?: EndpointLocation[] } {
  const presented = /^Bearer ([\x21-\x7e]{1,512})$/.exec(request.headers.authorization ?? '')?.[1];
  if (!disclosure || !presented || disclosure.keys.authenticate(presented)?.role !== 'admin') return {};
  return { endpointsOutsideGermany: [...disclosure.outsideGermany] };
}

export function healthRoutes(isReady: () => Promise<boolean>, detectionStatus?: () => DetectionStatus, endpoints?: EndpointDisclosure): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (request, response) => {
    const ready = await isReady().catch(() => false);
    const detectionRules = { ...(detectionStatus ? { detectionRules: detectionStatus() } : {}), ...endpointsFor(request, endpoints) };
    response
      .status(ready ? 200 : 503)
      .json(ready ? { status: 'ok', ...detectionRules } : { status: 'unavailable', detail: 'the workflow service does not answer', ...detectionRules });
  });
  return router;
}
