/** `/v1/events`: batches of raw events (JSON or NDJSON), read from the request stream, evaluated as they arrive; `/v1/ingest/syslog`: the listener's statistics. */
import { type Router, type Request } from 'express';
import { principalOf } from '../auth/authenticate';
import { scopedRouter } from '../auth/tenantScopeGuard';
import { may } from '../../domain/access/roles';
import { BodyStreamError, readJsonBatch, readNdjson } from './eventStream';
import { eventsQuerySchema } from './eventOpenApi';
import { UnsupportedMediaTypeError } from '../http/requireJson';
import { parseOrRefuse } from '../http/validate';
import { ForbiddenError } from '../../domain/refusals';
import type { EventIntake } from '../../ingest/eventIntake';
import type { SyslogStatsSnapshot } from '../../ingest/syslog/syslogStats';

const NDJSON = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];
const JSON_TYPES = ['application/json', 'application/*+json'];
/** One event's text at most; a larger one is refused, the batch goes on. */
const MAX_EVENT_CHARS = 256 * 1024;

export interface EventRouteDeps {
  events: EventIntake;
  /** Body limit of an event batch (larger than a single alert's: batches are streamed, not buffered). */
  bodyLimitBytes: number;
  /** The syslog listener's statistics, when it runs in this process. */
  syslogStats: () => SyslogStatsSnapshot | null;
}

function formatOf(request: Request): 'ndjson' | 'json' {
  if (request.is(NDJSON)) return 'ndjson';
  if (request.is(JSON_TYPES)) return 'json';
  throw new UnsupportedMediaTypeError(request.headers['content-type'] ?? 'nothing');
}

export function eventRoutes(deps: EventRouteDeps): Router {
  const router = scopedRouter();

  router.post('/v1/events', async (request, response) => {
    const query = parseOrRefuse(eventsQuerySchema, request.query);
    const binding = deps.events.bindSource(principalOf(response), query.tenantId, query.source);
    const format = formatOf(request);
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > deps.bodyLimitBytes) {
      throw new BodyStreamError('entity.too.large', 413, 'The request body is larger than the configured limit');
    }
    const batch = deps.events.newBatch(binding);
    const sink = { event: (value: unknown, line: number) => batch.addJson(value, line), refuse: (line: number, field: string, reason: string) => batch.refuse(line, field, reason) };
    const limits = { bodyBytes: deps.bodyLimitBytes, eventChars: MAX_EVENT_CHARS };
    if (format === 'ndjson') await readNdjson(request, limits, sink);
    else await readJsonBatch(request, limits, sink);
    // Hits go out only once the whole body has been read: a refused body (413, malformed JSON) starts nothing.
    const alerts = await deps.events.dispatch(batch);
    response.status(200).json({ accepted: batch.accepted, refusedCount: batch.refusedCount, refused: batch.refused, alerts });
  });

  router.get('/v1/ingest/syslog', (_request, response) => {
    const principal = principalOf(response);
    if (!may(principal, 'readIngestStats')) throw new ForbiddenError(`Role '${principal.role}' may not read the ingest statistics`);
    response.json(deps.syslogStats() ?? { enabled: false, udpPort: null, tcpPort: null, tlsPort: null, received: 0, accepted: 0, ignored: 0, unknownSender: 0, unparseable: 0, refused: 0, dispatchFailed: 0, unknownSenders: [], recentUnparseable: [] });
  });

  return router;
}
