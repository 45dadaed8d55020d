/**
 * The IoC enrichment providers as documented: VirusTotal API v3 (`GET /api/v3/{files|ip_addresses|domains|urls}/{id}`,
 * `x-apikey`, `data.attributes.last_analysis_stats`, 404 NotFoundError), AbuseIPDB API v2 (`GET /api/v2/check`,
 * `Key`, `data.abuseConfidenceScore`), MISP (`POST /attributes/restSearch`, `Authorization`,
 * `response.Attribute[]`). Each records every request, so a test can inspect everything that left the engine.
 */
import { startHttpsFake, type RecordedRequest, type RunningFake } from './httpsFake';

export interface EnrichmentFakes {
  virusTotal: RunningFake;
  abuseIpDb: RunningFake;
  misp: RunningFake;
  /** Every request to any of them. */
  requests: RecordedRequest[];
  /** VirusTotal's malicious-engine counts by indicator id (hash, ip, domain, or the URL's base64url id); absent: 404. */
  vtMalicious: Map<string, number>;
  /** AbuseIPDB's confidence score by address (absent: 0). */
  abuseScores: Map<string, number>;
  /** MISP attributes by value: whether flagged for IDS, and the event's title. */
  mispAttributes: Map<string, { toIds: boolean; event: string }>;
  close(): Promise<void>;
}

export const ENRICHMENT_KEYS = { virusTotal: 'vt-key-2f1e0d9c8b7a6f5e4d3c2b1a', abuseIpDb: 'abuseipdb-key-77aa88bb99cc', misp: 'misp-automation-key-0a1b2c3d4e5f' };

export async function startEnrichmentFakes(): Promise<EnrichmentFakes> {
  const requests: RecordedRequest[] = [];
  const vtMalicious = new Map<string, number>();
  const abuseScores = new Map<string, number>();
  const mispAttributes = new Map<string, { toIds: boolean; event: string }>();
  const virusTotal = await startHttpsFake('virustotal', requests, (request) => {
    if (request.headers['x-apikey'] !== ENRICHMENT_KEYS.virusTotal) return { status: 401, body: { error: { code: 'WrongCredentialsError', message: 'Wrong API key' } } };
    const match = /^\/api\/v3\/(files|ip_addresses|domains|urls)\/([^/]+)$/.exec(request.path);
    if (request.method !== 'GET' || !match) return { status: 400, body: { error: { code: 'BadRequestError', message: 'unknown path' } } };
    const [, collection, id] = match;
    const malicious = vtMalicious.get(id ?? '');
    if (malicious === undefined) return { status: 404, body: { error: { code: 'NotFoundError', message: `${id} not found` } } };
    const type = { files: 'file', ip_addresses: 'ip_address', domains: 'domain', urls: 'url' }[collection as 'files'];
    return { status: 200, body: { data: { id, type, links: { self: `https://www.virustotal.com/api/v3/${collection}/${id}` }, attributes: { reputation: -malicious, last_analysis_stats: { malicious, suspicious: 0, undetected: 70 - malicious, harmless: 24, timeout: 0 } } } } };
  });
  const abuseIpDb = await startHttpsFake('abuseipdb', requests, (request) => {
    if (request.headers['key'] !== ENRICHMENT_KEYS.abuseIpDb) return { status: 401, body: { errors: [{ detail: 'Authentication failed. Your API key is either missing, incorrect, or revoked.', status: 401 }] } };
    if (request.method !== 'GET' || request.path !== '/api/v2/check' || !request.query['ipAddress']) return { status: 422, body: { errors: [{ detail: 'The ip address field is required.', status: 422 }] } };
    const address = request.query['ipAddress'];
    const score = abuseScores.get(address) ?? 0;
    return { status: 200, body: { data: { ipAddress: address, isPublic: true, ipVersion: 4, isWhitelisted: false, abuseConfidenceScore: score, countryCode: 'NL', usageType: 'Data Center/Web Hosting/Transit', isp: 'Example Hosting', domain: 'example.net', totalReports: score > 0 ? 42 : 0, numDistinctUsers: score > 0 ? 17 : 0, lastReportedAt: score > 0 ? '2026-12-01T10:00:00+00:00' : null } } };
  });
  const misp = await startHttpsFake('misp', requests, (request) => {
    if (request.headers['authorization'] !== ENRICHMENT_KEYS.misp) return { status: 403, body: { name: 'Authentication failed.', message: 'Authentication failed.', url: '/attributes/restSearch' } };
    const body = request.body as { value?: string; returnFormat?: string } | undefined;
    if (request.method !== 'POST' || request.path !== '/attributes/restSearch' || body?.returnFormat !== 'json' || !body.value) return { status: 400, body: { name: 'Bad request', message: 'Bad request', url: request.path } };
    const found = mispAttributes.get(body.value);
    const Attribute = found ? [{ id: '9321', event_id: '311', type: 'ip-dst', category: 'Network activity', value: body.value, to_ids: found.toIds, Event: { id: '311', info: found.event, org_id: '1', orgc_id: '1', distribution: '1' } }] : [];
    return { status: 200, body: { response: { Attribute } } };
  });
  return {
    virusTotal,
    abuseIpDb,
    misp,
    requests,
    vtMalicious,
    abuseScores,
    mispAttributes,
    close: async () => {
      await Promise.all([virusTotal.close(), abuseIpDb.close(), misp.close()]);
    },
  };
}
