/**
 * R20 "ausschließlich ... auf Servern in Deutschland": the production configuration states where every external
 * endpoint that stores or receives customer data runs (`SOAR_ENDPOINT_LOCATIONS_FILE`). One outside Germany needs an
 * explicit exception with its reason and the document that records it; such endpoints are listed at start and on
 * `/readyz` for admins. A file that breaks this is refused naming file, line and field.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { lineOfPath } from '../domain/tenant/yamlLocation';
import { logLine } from './logger';

/** Every external endpoint the engine sends customer data to or stores it at. */
export const EXTERNAL_ENDPOINTS = ['temporal', 'database', 'mail', 'sms', 'traces', 'breachData', 'socChat'] as const;
export type ExternalEndpoint = (typeof EXTERNAL_ENDPOINTS)[number];

const endpointSchema = z
  .strictObject({
    host: z.string().min(1).describe('Where it runs: host name or provider and region, as the operator knows it.'),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code like DE')
      .describe('The country its servers are in.'),
    exception: z
      .strictObject({
        reason: z.string().min(10, 'say why this endpoint may run outside Germany'),
        documentedIn: z.string().min(3, 'name the document that records the exception (contract annex, DPA, ticket)'),
      })
      .optional(),
  })
  .superRefine((endpoint, ctx) => {
    if (endpoint.country !== 'DE' && endpoint.exception === undefined) {
      ctx.addIssue({ code: 'custom', path: ['exception'], message: `R20: runs in ${endpoint.country}, outside Germany: it needs an exception { reason, documentedIn }` });
    }
    if (endpoint.country === 'DE' && endpoint.exception !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['exception'], message: 'R20: an endpoint in Germany needs no exception: remove it' });
    }
  });

const fileSchema = z.strictObject({
  endpoints: z.strictObject(Object.fromEntries(EXTERNAL_ENDPOINTS.map((name) => [name, endpointSchema.optional()])) as Record<ExternalEndpoint, z.ZodOptional<typeof endpointSchema>>),
});

export type EndpointLocation = z.output<typeof endpointSchema> & { endpoint: ExternalEndpoint };

/** Thrown when the locations file is unreadable, malformed, or leaves a used endpoint unstated (R20). */
export class EndpointLocationsError extends Error {
  constructor(
    readonly file: string,
    readonly issues: { path: string; line: number | undefined; message: string }[],
  ) {
    super(`${file}: ${issues.map((i) => `${i.line === undefined ? '' : `line ${i.line} `}${i.path}: ${i.message}`).join('; ')}`);
  }
}

/** The stated locations; `used` are the endpoints this deployment configures, each of which must be stated. */
export function loadEndpointLocations(file: string, used: readonly ExternalEndpoint[]): EndpointLocation[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EndpointLocationsError(file, [{ path: '', line: undefined, message: `cannot be read (${error instanceof Error ? error.message : String(error)})` }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) throw new EndpointLocationsError(file, doc.errors.map((e) => ({ path: '', line: lineCounter.linePos(e.pos[0]).line, message: e.message.split('\n')[0] ?? '' })));
  const parsed = fileSchema.safeParse(doc.toJS());
  const issues = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), line: lineOfPath(doc, lineCounter, issue.path), message: issue.message }));
  const endpoints = parsed.success ? parsed.data.endpoints : {};
  for (const name of used) {
    if (parsed.success && endpoints[name] === undefined) issues.push({ path: `endpoints.${name}`, line: lineOfPath(doc, lineCounter, ['endpoints']), message: `R20: this deployment uses ${name}: state where it runs` });
  }
  if (issues.length > 0) throw new EndpointLocationsError(file, issues);
  return EXTERNAL_ENDPOINTS.flatMap((name) => {
    const location = endpoints[name];
    return location ? [{ endpoint: name, ...location }] : [];
  });
}

/** Logs each endpoint outside Germany with its exception at start (R20) and returns them for /readyz. */
export function reportEndpointsOutsideGermany(locations: readonly EndpointLocation[] | null): EndpointLocation[] {
  const outside = outsideGermany(locations ?? []);
  for (const l of outside) {
    logLine('warn', 'endpoint outside Germany (R20 exception)', { endpoint: l.endpoint, host: l.host, country: l.country, reason: l.exception?.reason, documentedIn: l.exception?.documentedIn });
  }
  return outside;
}

/** The endpoints outside Germany, each with its exception: logged at start, shown on /readyz to admins. */
export function outsideGermany(locations: readonly EndpointLocation[]): EndpointLocation[] {
  return locations.filter((l) => l.country !== 'DE');
}
