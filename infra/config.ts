/** The one place that reads the environment: parsed once with zod, failing fast with the variable's name. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadEndpointLocations, type ExternalEndpoint } from './endpointLocations';
import { incompleteIntegration } from './integrationCompleteness';
import { createSecretResolver, type SecretResolver } from './secrets';

const port = z.coerce.number().int().min(0).max(65535);
const httpsUrl = z.url({ protocol: /^https$/, error: 'an https URL (the vendor libraries refuse plain http)' });
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const callsPerMinute = z.coerce.number().positive().max(1_000_000);

export const envSchema = z.object({
  /** `production` refuses the dev API keys, random payload keys, the embedded dev server and a plaintext remote cluster. */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** An existing Temporal cluster; when unset, the embedded start runs its own dev server. */
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  /** The Temporal namespace of every workflow; its retention is set to the longest agreed one (R14). */
  TEMPORAL_NAMESPACE: z.string().min(1).default('soar'),
  /** The alert workers' task queue; workers on the same queue share the work. */
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('soar-alerts'),
  /** The `temporal` binary for the embedded dev server; unset: from PATH, else built into SOAR_TOOLS_DIR. */
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  /** The embedded dev server's port. */
  TEMPORAL_PORT: port.default(7233),
  /** The embedded dev server's UI port. */
  TEMPORAL_UI_PORT: port.default(8233),
  /**
   * TLS to an existing cluster (self-hosted or Temporal Cloud): `TEMPORAL_TLS=true` with the system's roots, or a CA
   * file; a client certificate and key for mTLS; a server name when the address is not the certificate's name; an
   * API key as a secret reference (env:NAME or file:/path; Temporal Cloud API keys imply TLS).
   */
  TEMPORAL_TLS: flag.default(false),
  /** CA certificate file that signs the cluster's certificate (implies TLS). */
  TEMPORAL_TLS_CA_FILE: z.string().min(1).optional(),
  /** Client certificate for mTLS (with TEMPORAL_TLS_KEY_FILE). */
  TEMPORAL_TLS_CERT_FILE: z.string().min(1).optional(),
  /** Client key for mTLS (with TEMPORAL_TLS_CERT_FILE). */
  TEMPORAL_TLS_KEY_FILE: z.string().min(1).optional(),
  /** The name the cluster's certificate carries, when the address is not that name. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** A Temporal Cloud API key as a secret reference (implies TLS). */
  TEMPORAL_API_KEY_REF: z.string().regex(/^(env|file):.+$/, 'a secret reference: env:NAME or file:/path').optional(),
  /** Refused when NODE_ENV=production (Temporal access equals admin: TLS only); kept so an old setting is named, not ignored. */
  TEMPORAL_ALLOW_PLAINTEXT: flag.default(false),
  /** Default namespace retention in days (R14). */
  SOAR_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Local state of the embedded form: SQLite file, tiered output files, outbox, dev payload keys. */
  SOAR_DATA_DIR: z.string().min(1).default('.data'),
  /** The engine's own state in PostgreSQL (postgres://user:password@host:port/db); unset: the SQLite file in SOAR_DATA_DIR. */
  SOAR_DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'a PostgreSQL URL: postgres://user:password@host:port/database' })
    .optional(),
  /** The same URL as a secret reference (env:NAME or file:/path), so its password stays out of the environment listing. */
  SOAR_DATABASE_URL_REF: z.string().regex(/^(env|file):.+$/, 'a secret reference: env:NAME or file:/path').optional(),
  /** Where the Temporal CLI and other tools are built or fetched to. */
  SOAR_TOOLS_DIR: z.string().min(1).default('.tools'),
  /** One YAML file per tenant, validated at start. */
  SOAR_TENANTS_DIR: z.string().min(1).default('config/tenants'),
  /** Sigma detection rules, validated at start and hot-reloaded. */
  SOAR_RULES_DIR: z.string().min(1).default('detection/rules'),
  /** The SOC's on-call directory (R19). */
  SOAR_ONCALL_FILE: z.string().min(1).default('config/soc/oncall.yaml'),
  /** Response playbooks as YAML, validated at start (R8). */
  SOAR_PLAYBOOKS_DIR: z.string().min(1).default('playbooks'),
  /** API keys file; the dev keys file is the default outside production and refused in it. */
  SOAR_API_KEYS_FILE: z.string().min(1).optional(),
  /** Address the API listens on. */
  API_HOST: z.string().min(1).default('127.0.0.1'),
  /** Port the API listens on. */
  API_PORT: port.default(8080),
  /** Largest JSON body the API takes; past it 413. */
  API_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** `npm start` prints the dev API keys. */
  SOAR_PRINT_DEV_KEYS: flag.default(true),
  /** Event intake: field mappings, correlation window, batch body limit; syslog listener (off when the port is unset). */
  SOAR_MAPPINGS_DIR: z.string().min(1).default('detection/mappings'),
  /** Rule hits of one tenant, rule and entity within this window are one incident. */
  SOAR_CORRELATION_WINDOW_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** Largest event batch `POST /v1/events` reads; past it 413. */
  SOAR_EVENTS_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(32 * 1024 * 1024),
  /** UDP and TCP port of the syslog listener; unset: no listener. */
  SOAR_SYSLOG_PORT: port.optional(),
  /** Address the syslog listener binds to. */
  SOAR_SYSLOG_HOST: z.string().min(1).default('0.0.0.0'),
  /** Syslog over TLS (RFC 5425, usually 6514) with a client certificate per source; needs the listener's certificate and key. */
  SOAR_SYSLOG_TLS_PORT: port.optional(),
  SOAR_SYSLOG_TLS_CERT_FILE: z.string().min(1).optional(),
  SOAR_SYSLOG_TLS_KEY_FILE: z.string().min(1).optional(),
  /** Payload encryption keys (AES-256 per tenant, docs/payload-encryption.md); outside production `.data/payload-keys.yaml`, made by `npm start`. */
  SOAR_PAYLOAD_KEYS_FILE: z.string().min(1).optional(),
  /** The Temporal UI's origin allowed to call the codec endpoint from the browser (CORS); unset: no cross-origin calls. */
  SOAR_CODEC_CORS_ORIGIN: z.url().transform((url) => new URL(url).origin).optional(),
  /** The Temporal UI's internal address (started with the public path /dashboard/temporal-ui); the API serves it to auditors and admins. */
  SOAR_TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** E-mail notifications (SMTP); unset means the e-mail channel is not configured and deliveries fail visibly. */
  SOAR_SMTP_HOST: z.string().min(1).optional(),
  /** SMTP port. */
  SOAR_SMTP_PORT: port.default(587),
  /** How the SMTP connection is secured. */
  SOAR_SMTP_SECURITY: z.enum(['implicit-tls', 'starttls', 'none']).default('starttls'),
  /** Sender address of the SOC's e-mails. */
  SOAR_SMTP_FROM: z.email().default('soc@soc-provider.example'),
  /** SMTP login, if the relay asks for one. */
  SOAR_SMTP_USER: z.string().min(1).optional(),
  /** SMTP password, if the relay asks for one. */
  SOAR_SMTP_PASSWORD: z.string().min(1).optional(),
  /** How long one delivery may take before it fails (and is retried). */
  SOAR_SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** SMS and voice through the provider's HTTP API; with SOAR_PHONE_API_TOKEN (both or neither). */
  SOAR_PHONE_API_URL: z.url().optional(),
  /** Sender name or number of SMS and calls. */
  SOAR_PHONE_FROM: z.string().min(1).default('SOC'),
  /** Bearer token of the phone provider's API; with SOAR_PHONE_API_URL (both or neither). */
  SOAR_PHONE_API_TOKEN: z.string().min(1).optional(),
  /** Which provider carries SMS and voice (docs/integrations.md): `http` (the JSON API above), `twilio` or `sipgate`; unset: http when its URL is set. */
  SOAR_PHONE_PROVIDER: z.enum(['http', 'twilio', 'sipgate']).optional(),
  SOAR_TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'a Twilio account SID: AC and 32 hex digits').optional(),
  SOAR_TWILIO_AUTH_TOKEN_REF: z.string().regex(/^(env|file):.+$/, 'a secret reference: env:NAME or file:/path').optional(),
  SOAR_TWILIO_FROM: z.string().regex(/^(\+[1-9]\d{6,14}|[A-Za-z0-9 ]{1,11})$/, 'a number in E.164 form (+49...) or an alphanumeric sender id of up to 11 characters').optional(),
  SOAR_TWILIO_API_URL: httpsUrl.default('https://api.twilio.com'),
  SOAR_SIPGATE_TOKEN_ID: z.string().regex(/^token-[A-Za-z0-9]+$/, 'a sipgate personal access token id: token-...').optional(),
  SOAR_SIPGATE_TOKEN_REF: z.string().regex(/^(env|file):.+$/, 'a secret reference: env:NAME or file:/path').optional(),
  SOAR_SIPGATE_SMS_ID: z.string().regex(/^s\d+$/, 'a sipgate SMS extension like s0').optional(),
  SOAR_SIPGATE_API_URL: httpsUrl.default('https://api.sipgate.com/v2'),
  /** sipgate escalation calls with press-1 (docs/integrations.md): the device extension the calls are made with (billing, shown number); unset: no sipgate calls. */
  SOAR_SIPGATE_CALL_DEVICE_ID: z.string().regex(/^[epxy]\d+$/, 'a sipgate device extension like e0, p0, x0 or y0').optional(),
  /** The number sipgate dials once the on-call person answers (the SOC desk): they hear the announcement first, then are put through. */
  SOAR_SIPGATE_CALL_TARGET: z.string().regex(/^\+[1-9]\d{6,14}$/, 'a number in E.164 form (+49...)').optional(),
  /** The API's public https address the phone provider calls back (delivery receipts, key presses); unset: neither. */
  SOAR_PHONE_CALLBACK_URL: httpsUrl.optional(),
  /** The SOC's Teams channel (docs/integrations.md): the Workflows webhook URL as a secret reference, and the dashboard's public address for the cards' links. */
  SOAR_TEAMS_WEBHOOK_URL_REF: z.string().regex(/^(env|file):.+$/, 'a secret reference: env:NAME or file:/path (the webhook URL carries its own signature)').optional(),
  SOAR_DASHBOARD_URL: httpsUrl.optional(),
  /** IoC enrichment (docs/integrations.md): each provider is on when its key reference (and MISP's address) is set. */
  SOAR_VIRUSTOTAL_API_KEY_REF: z.string().regex(/^(env|file):.+$/, 'a secret reference: env:NAME or file:/path').optional(),
  SOAR_VIRUSTOTAL_BASE_URL: httpsUrl.default('https://www.virustotal.com/api/v3'),
  SOAR_ABUSEIPDB_API_KEY_REF: z.string().regex(/^(env|file):.+$/, 'a secret reference: env:NAME or file:/path').optional(),
  SOAR_ABUSEIPDB_BASE_URL: httpsUrl.default('https://api.abuseipdb.com'),
  SOAR_MISP_URL: httpsUrl.optional(),
  SOAR_MISP_API_KEY_REF: z.string().regex(/^(env|file):.+$/, 'a secret reference: env:NAME or file:/path').optional(),
  /** How long an enrichment answer is reused for the same indicator. */
  SOAR_ENRICHMENT_CACHE_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
  /** Calls per minute: VirusTotal's public key allows 4, AbuseIPDB's free plan 1000 a day. */
  SOAR_VIRUSTOTAL_CALLS_PER_MINUTE: callsPerMinute.default(4),
  SOAR_ABUSEIPDB_CALLS_PER_MINUTE: callsPerMinute.default(0.69),
  SOAR_MISP_CALLS_PER_MINUTE: callsPerMinute.default(60),
  /** The SOC's own outbound webhook for every tenant's alert lifecycle events (docs/integrations.md); both or neither. */
  SOAR_SOC_WEBHOOK_URL: httpsUrl.optional(),
  SOAR_SOC_WEBHOOK_SECRET_REF: z.string().regex(/^(env|file):.+$/, 'a secret reference: env:NAME or file:/path').optional(),
  /** The SOC's own language: the on-call chain's pages (SMS, calls, e-mails), the press-1 prompt and the SOC's Teams cards. */
  SOAR_SOC_LANGUAGE: z.enum(['de', 'en']).default('de'),
  /** Vendor API addresses of the response activities; the defaults are Microsoft's public clouds. */
  SOAR_GRAPH_BASE_URL: httpsUrl.default('https://graph.microsoft.com/'),
  /** Entra ID token endpoint host. */
  SOAR_ENTRA_AUTHORITY_HOST: httpsUrl.default('https://login.microsoftonline.com'),
  /** Defender for Endpoint API address. */
  SOAR_DEFENDER_BASE_URL: httpsUrl.default('https://api.security.microsoft.com'),
  /** Observability and API hardening (docs/operations.md): log level, /metrics token, worker metrics, rate and time limits, CORS. */
  SOAR_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** `json` (one JSON object per line, for production) or `text` (readable lines); unset: json, `npm start` text. */
  SOAR_LOG_FORMAT: z.enum(['json', 'text']).optional(),
  /** Bearer token that may read the API's `GET /metrics` besides admin keys. */
  SOAR_METRICS_TOKEN: z.string().min(32, 'at least 32 characters').optional(),
  /** Port of the worker's Prometheus endpoint; unset: off. */
  SOAR_WORKER_METRICS_PORT: port.optional(),
  /** Address of the worker's Prometheus endpoint. */
  SOAR_WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Workflows the alert worker keeps in memory (about 0.3-0.4 MiB each untraced, docs/performance.md); unset: the SDK default from the heap limit. */
  SOAR_WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2, 'at least 2 (the SDK caches 0 or 2+ workflows)').optional(),
  /**
   * A workflow bundle built beforehand from this same code (`npm run bundle:workflows -- <file>`); unset: the worker and
   * the audit replay bundle the workflows at start. Bundling costs the worker process about 0.3 GiB of RSS before any
   * workflow runs, and start-up time (docs/performance.md).
   */
  SOAR_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  /** Worker Versioning (docs/audit.md, safe deploys): the worker deployment and this build's id; both or neither. */
  SOAR_WORKER_DEPLOYMENT_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, dot, dash, underscore').optional(),
  SOAR_WORKER_BUILD_ID: z.string().regex(/^[A-Za-z0-9._+-]{1,100}$/, 'letters, digits, dot, dash, underscore, plus').optional(),
  /** OpenTelemetry traces over OTLP/HTTP (the standard variables; the traces one wins); unset: spans are not exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** OTLP/HTTP endpoint for traces only; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  /** Spans made inside workflows (RunWorkflow, StartActivity, handlers) for the workflows this engine starts; off: activity and vendor spans still join the caller's trace (docs/operations.md). */
  SOAR_WORKFLOW_TRACING: z.enum(['on', 'off']).default('off'),
  /** The `__stack_trace` query (the Temporal UI's stack of a running workflow) on the alert worker; off: the worker keeps no stack per workflow promise, which saves CPU and memory (docs/performance.md). */
  SOAR_WORKFLOW_STACK_TRACES: z.enum(['on', 'off']).default('off'),
  /** Old-generation limit of the alert worker's workflow thread heap, MiB; unset: 128 plus 192 KiB per cached workflow (1 MiB with SOAR_WORKFLOW_TRACING=on), docs/operations.md. */
  SOAR_WORKFLOW_HEAP_MIB: z.coerce.number().int().min(64, 'at least 64').max(65_536).optional(),
  /** Requests per API key per minute; past it 429 with Retry-After. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(3000),
  /** Requests per tenant per minute, all its keys together (shared by every API process); unset: each key's limit only. */
  API_TENANT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** How long a request may take before it answers 503. */
  API_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** How long starting an alert's workflow may take before intake answers 503 engine_unavailable. */
  API_START_DEADLINE_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Comma list of browser origins allowed to call the API (CORS); empty: none. */
  API_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.url().transform((url) => new URL(url).origin))),
  /**
   * Which proxies in front of the API are trusted for X-Forwarded-For/-Proto (Express `trust proxy`): `false` (none,
   * the default), a number of hops, or a comma list of addresses, CIDR ranges and Express' names (loopback,
   * uniquelocal, linklocal). `true` (trust every sender) is refused: any client could then pick its own address.
   */
  API_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx): false | number | string[] => {
      const text = value.trim();
      if (text === '' || text === 'false') return false;
      if (/^\d+$/.test(text)) return Number(text);
      if (text === 'true') {
        ctx.addIssue({ code: 'custom', message: 'true would trust X-Forwarded-For from every client; name the proxies (addresses, CIDR ranges) or a hop count' });
        return z.NEVER;
      }
      return text.split(',').map((part) => part.trim()).filter(Boolean);
    }),
  /** Weekly credential-leak check (R4): Have I Been Pwned's address, the API key as a secret reference (env:NAME or file:/path), the user agent it asks for. */
  SOAR_HIBP_BASE_URL: z.url().default('https://haveibeenpwned.com'),
  /** R20: where every external endpoint runs (config/endpoint-locations.example.yaml); required in production. */
  SOAR_ENDPOINT_LOCATIONS_FILE: z.string().min(1).optional(),
  /** Have I Been Pwned API key as a secret reference; unset: the leak check fails visibly as LeakCheckNotConfigured. */
  SOAR_HIBP_API_KEY_REF: z.string().regex(/^(env|file):.+$/, 'a secret reference: env:NAME or file:/path').optional(),
  /** User agent Have I Been Pwned asks callers to send. */
  SOAR_HIBP_USER_AGENT: z.string().min(1).default('soar-engine-leak-check'),
  /** The scheduled Microsoft 365 alert pull (tenants with Graph credentials): minutes between pulls, hours a first pull reaches back. */
  SOAR_GRAPH_PULL_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
  /** How far back a tenant's first Microsoft 365 pull reaches. */
  SOAR_GRAPH_PULL_LOOKBACK_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24),
  /** Vendor calls per minute across every worker (each vendor's own Temporal task queue, docs/operations.md). */
  SOAR_GRAPH_CALLS_PER_MINUTE: callsPerMinute.default(600),
  /** Defender for Endpoint calls per minute across every worker. */
  SOAR_DEFENDER_CALLS_PER_MINUTE: callsPerMinute.default(100),
  /** Firewall calls per minute across every worker. */
  SOAR_FIREWALL_CALLS_PER_MINUTE: callsPerMinute.default(120),
  /** Have I Been Pwned calls per minute across every worker. */
  SOAR_HIBP_CALLS_PER_MINUTE: callsPerMinute.default(10),
  /** Optional hard limits per tenant (fairness key) on the same queues; unset: a tenant may use what the others leave. */
  SOAR_GRAPH_TENANT_CALLS_PER_MINUTE: callsPerMinute.optional(),
  /** Defender for Endpoint calls per tenant and minute; unset: no per-tenant limit. */
  SOAR_DEFENDER_TENANT_CALLS_PER_MINUTE: callsPerMinute.optional(),
  /** Firewall calls per tenant and minute; unset: no per-tenant limit. */
  SOAR_FIREWALL_TENANT_CALLS_PER_MINUTE: callsPerMinute.optional(),
  /** Have I Been Pwned calls per tenant and minute; unset: no per-tenant limit. */
  SOAR_HIBP_TENANT_CALLS_PER_MINUTE: callsPerMinute.optional(),
  /** Intake requests (alerts, Defender alerts, event batches) in progress at once in one API process; past it 429. */
  API_INTAKE_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(200),
  /** Answered 401s per client address and minute before it is refused with 429 (shared store). */
  API_FAILED_AUTH_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** Intake requests of one tenant in progress at once in one API process; past it 429. */
  API_INTAKE_MAX_IN_FLIGHT_PER_TENANT: z.coerce.number().int().min(1).max(100_000).default(50),
  /** Where the embedded start looks for `temporal` and `go`. */
  PATH: z.string().default(''),
});

export const DEV_API_KEYS_FILE = 'config/dev/api-keys.yaml';

export type EngineConfig = ReturnType<typeof loadConfig>;

type ParsedEnv = z.output<typeof envSchema>;

function temporalSecurityOf(e: ParsedEnv, cwd: string) {
  const tls = e.TEMPORAL_TLS || Boolean(e.TEMPORAL_TLS_CA_FILE ?? e.TEMPORAL_TLS_CERT_FILE ?? e.TEMPORAL_API_KEY_REF);
  if (!tls) return null;
  const file = (path: string | undefined) => (path === undefined ? undefined : resolve(cwd, path));
  return {
    caFile: file(e.TEMPORAL_TLS_CA_FILE),
    certFile: file(e.TEMPORAL_TLS_CERT_FILE),
    keyFile: file(e.TEMPORAL_TLS_KEY_FILE),
    serverName: e.TEMPORAL_TLS_SERVER_NAME,
    apiKeyRef: e.TEMPORAL_API_KEY_REF,
  };
}

/** Thrown when an environment variable has a value the engine cannot use. */
export class ConfigError extends Error {
  constructor(readonly variable: string, readonly reason: string) {
    super(`Configuration error: ${variable}: ${reason}`);
  }
}

/** The external endpoints this environment configures (R20): each must be stated in the locations file. */
function usedEndpoints(e: z.output<typeof envSchema>): ExternalEndpoint[] {
  const used: ExternalEndpoint[] = ['temporal', 'database'];
  if (e.SOAR_SMTP_HOST) used.push('mail');
  if (e.SOAR_PHONE_API_URL || phoneProviderOf(e) !== 'http') used.push('sms');
  if (e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT) used.push('traces');
  if (e.SOAR_HIBP_API_KEY_REF) used.push('breachData');
  if (e.SOAR_TEAMS_WEBHOOK_URL_REF) used.push('socChat');
  if (e.SOAR_VIRUSTOTAL_API_KEY_REF) used.push('virusTotal');
  if (e.SOAR_ABUSEIPDB_API_KEY_REF) used.push('abuseIpDb');
  if (e.SOAR_MISP_URL) used.push('misp');
  return used;
}

/** The phone provider the environment chooses; settings of a provider that is not chosen are refused (never ignored). */
function phoneProviderOf(e: ParsedEnv): 'http' | 'twilio' | 'sipgate' {
  return e.SOAR_PHONE_PROVIDER ?? 'http';
}

/**
 * A phone provider's variables: all of them when it is the chosen provider, none otherwise (a stray one is refused,
 * not ignored, so a half-done switch of provider is seen at load).
 */
function providerVariables<const N extends keyof ParsedEnv>(e: ParsedEnv, provider: 'twilio' | 'sipgate', names: readonly N[]): Record<N, string> | null {
  if (phoneProviderOf(e) !== provider) {
    const stray = names.find((name) => e[name] !== undefined);
    if (stray) throw new ConfigError('SOAR_PHONE_PROVIDER', `${stray} is set but SOAR_PHONE_PROVIDER is not ${provider}: set SOAR_PHONE_PROVIDER=${provider} or remove it`);
    return null;
  }
  const missing = names.find((name) => e[name] === undefined);
  if (missing) throw new ConfigError(missing, `required when SOAR_PHONE_PROVIDER=${provider}`);
  return Object.fromEntries(names.map((name) => [name, String(e[name])])) as Record<N, string>;
}

function twilioOf(e: ParsedEnv) {
  const v = providerVariables(e, 'twilio', ['SOAR_TWILIO_ACCOUNT_SID', 'SOAR_TWILIO_AUTH_TOKEN_REF', 'SOAR_TWILIO_FROM']);
  return v && { accountSid: v.SOAR_TWILIO_ACCOUNT_SID, authTokenRef: v.SOAR_TWILIO_AUTH_TOKEN_REF, from: v.SOAR_TWILIO_FROM, apiBaseUrl: e.SOAR_TWILIO_API_URL };
}

function sipgateOf(e: ParsedEnv) {
  const v = providerVariables(e, 'sipgate', ['SOAR_SIPGATE_TOKEN_ID', 'SOAR_SIPGATE_TOKEN_REF', 'SOAR_SIPGATE_SMS_ID']);
  if (!v) {
    const stray = (['SOAR_SIPGATE_CALL_DEVICE_ID', 'SOAR_SIPGATE_CALL_TARGET'] as const).find((name) => e[name] !== undefined);
    if (stray) throw new ConfigError('SOAR_PHONE_PROVIDER', `${stray} is set but SOAR_PHONE_PROVIDER is not sipgate: set SOAR_PHONE_PROVIDER=sipgate or remove it`);
  }
  return v && { tokenId: v.SOAR_SIPGATE_TOKEN_ID, tokenRef: v.SOAR_SIPGATE_TOKEN_REF, smsId: v.SOAR_SIPGATE_SMS_ID, apiBaseUrl: e.SOAR_SIPGATE_API_URL, calls: sipgateCallsOf(e) };
}

/** sipgate escalation calls: both variables or neither, and only with the callback address sipgate's webhooks and the announcements need. */
function sipgateCallsOf(e: ParsedEnv): { deviceId: string; target: string } | null {
  const { SOAR_SIPGATE_CALL_DEVICE_ID: deviceId, SOAR_SIPGATE_CALL_TARGET: target } = e;
  if (deviceId === undefined && target === undefined) return null;
  if (deviceId === undefined) throw new ConfigError('SOAR_SIPGATE_CALL_DEVICE_ID', 'sipgate calls need both SOAR_SIPGATE_CALL_DEVICE_ID and SOAR_SIPGATE_CALL_TARGET');
  if (target === undefined) throw new ConfigError('SOAR_SIPGATE_CALL_TARGET', 'sipgate calls need both SOAR_SIPGATE_CALL_DEVICE_ID and SOAR_SIPGATE_CALL_TARGET');
  if (!e.SOAR_PHONE_CALLBACK_URL) throw new ConfigError('SOAR_PHONE_CALLBACK_URL', 'required with SOAR_SIPGATE_CALL_DEVICE_ID: sipgate fetches the announcement and posts the key press there');
  return { deviceId, target };
}

/** The bundle file, resolved against the working directory; it must exist (a worker must not start without its code). */
function prebuiltBundlePath(file: string, cwd: string): string {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new ConfigError('SOAR_WORKFLOW_BUNDLE', `no workflow bundle at ${path}: build it with npm run bundle:workflows -- ${file}`);
  return path;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path.join('.') ?? '?'), issue?.message ?? 'invalid');
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.SOAR_API_KEYS_FILE) {
    throw new ConfigError('SOAR_API_KEYS_FILE', 'required when NODE_ENV=production (the dev keys are refused there)');
  }
  if (Boolean(e.TEMPORAL_TLS_CERT_FILE) !== Boolean(e.TEMPORAL_TLS_KEY_FILE)) {
    const missing = e.TEMPORAL_TLS_CERT_FILE ? 'TEMPORAL_TLS_KEY_FILE' : 'TEMPORAL_TLS_CERT_FILE';
    throw new ConfigError(missing, 'mTLS needs both TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE');
  }
  // Temporal access equals admin access (start, update, terminate any workflow): production connects with TLS only.
  if (production && e.TEMPORAL_ALLOW_PLAINTEXT) {
    throw new ConfigError('TEMPORAL_ALLOW_PLAINTEXT', 'not accepted when NODE_ENV=production: Temporal access equals admin access, so production connects with TLS (mTLS) only');
  }
  if (production && e.TEMPORAL_ADDRESS && !temporalSecurityOf(e, cwd)) {
    throw new ConfigError('TEMPORAL_TLS', `required when NODE_ENV=production for ${e.TEMPORAL_ADDRESS} (TLS or mTLS, also for a cluster on this machine: Temporal access equals admin access)`);
  }
  if (e.SOAR_SYSLOG_TLS_PORT !== undefined && (!e.SOAR_SYSLOG_TLS_CERT_FILE || !e.SOAR_SYSLOG_TLS_KEY_FILE)) {
    const missing = e.SOAR_SYSLOG_TLS_CERT_FILE ? 'SOAR_SYSLOG_TLS_KEY_FILE' : 'SOAR_SYSLOG_TLS_CERT_FILE';
    throw new ConfigError(missing, 'required with SOAR_SYSLOG_TLS_PORT: the listener\'s certificate and key for syslog over TLS (RFC 5425)');
  }
  if (e.SOAR_SYSLOG_TLS_PORT !== undefined && e.SOAR_SYSLOG_PORT === undefined) {
    throw new ConfigError('SOAR_SYSLOG_PORT', 'required with SOAR_SYSLOG_TLS_PORT: syslog over TLS runs beside the UDP/TCP listener');
  }
  if (e.SOAR_DATABASE_URL && e.SOAR_DATABASE_URL_REF) {
    throw new ConfigError('SOAR_DATABASE_URL_REF', 'set either SOAR_DATABASE_URL or SOAR_DATABASE_URL_REF, not both');
  }
  if (production && !e.SOAR_PAYLOAD_KEYS_FILE) {
    throw new ConfigError('SOAR_PAYLOAD_KEYS_FILE', 'required when NODE_ENV=production (payloads are encrypted with per-tenant keys)');
  }
  if (production && !e.SOAR_ENDPOINT_LOCATIONS_FILE) {
    throw new ConfigError('SOAR_ENDPOINT_LOCATIONS_FILE', 'required when NODE_ENV=production: where every external endpoint runs (R20)');
  }
  if (Boolean(e.SOAR_MISP_URL) !== Boolean(e.SOAR_MISP_API_KEY_REF)) {
    throw new ConfigError(e.SOAR_MISP_URL ? 'SOAR_MISP_API_KEY_REF' : 'SOAR_MISP_URL', 'MISP enrichment needs both SOAR_MISP_URL and SOAR_MISP_API_KEY_REF');
  }
  if (Boolean(e.SOAR_SOC_WEBHOOK_URL) !== Boolean(e.SOAR_SOC_WEBHOOK_SECRET_REF)) {
    throw new ConfigError(e.SOAR_SOC_WEBHOOK_URL ? 'SOAR_SOC_WEBHOOK_SECRET_REF' : 'SOAR_SOC_WEBHOOK_URL', 'the SOC webhook needs both SOAR_SOC_WEBHOOK_URL and SOAR_SOC_WEBHOOK_SECRET_REF');
  }
  if (e.SOAR_TEAMS_WEBHOOK_URL_REF && !e.SOAR_DASHBOARD_URL) {
    throw new ConfigError('SOAR_DASHBOARD_URL', 'required with SOAR_TEAMS_WEBHOOK_URL_REF: the cards link to the dashboard page that decides');
  }
  const incomplete = incompleteIntegration(env);
  if (incomplete) throw new ConfigError(incomplete.variable, incomplete.reason);
  const dataDir = resolve(cwd, e.SOAR_DATA_DIR);
  return {
    production,
    /** R20: where each external endpoint runs; null outside production when no file is given. */
    endpointLocations: e.SOAR_ENDPOINT_LOCATIONS_FILE ? loadEndpointLocations(resolve(cwd, e.SOAR_ENDPOINT_LOCATIONS_FILE), usedEndpoints(e)) : null,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      cliPath: e.TEMPORAL_CLI_PATH,
      searchPath: e.PATH,
      port: e.TEMPORAL_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      retentionDays: e.SOAR_RETENTION_DAYS,
      dbFile: resolve(dataDir, 'temporal', 'dev-server.sqlite'),
      /** How to reach an existing cluster securely (infra/temporal/connectionOptions.ts); null: plain, as the dev server. */
      security: temporalSecurityOf(e, cwd),
    },
    toolsDir: resolve(cwd, e.SOAR_TOOLS_DIR),
    tenantsDir: resolve(cwd, e.SOAR_TENANTS_DIR),
    rulesDir: resolve(cwd, e.SOAR_RULES_DIR),
    onCallFile: resolve(cwd, e.SOAR_ONCALL_FILE),
    playbooksDir: resolve(cwd, e.SOAR_PLAYBOOKS_DIR),
    /** The engine's own state: PostgreSQL when a URL is set (several hosts), else the SQLite file (one host). */
    database: { databaseUrl: e.SOAR_DATABASE_URL ?? null, databaseUrlRef: e.SOAR_DATABASE_URL_REF ?? null, sqliteFile: resolve(dataDir, 'read-model.sqlite') },
    outputDir: resolve(dataDir, 'outputs'),
    notifications: {
      smtp: e.SOAR_SMTP_HOST
        ? {
            host: e.SOAR_SMTP_HOST,
            port: e.SOAR_SMTP_PORT,
            security: e.SOAR_SMTP_SECURITY,
            from: e.SOAR_SMTP_FROM,
            auth: e.SOAR_SMTP_USER && e.SOAR_SMTP_PASSWORD ? { user: e.SOAR_SMTP_USER, password: e.SOAR_SMTP_PASSWORD } : undefined,
            timeoutMs: e.SOAR_SMTP_TIMEOUT_MS,
          }
        : null,
      phone:
        e.SOAR_PHONE_API_URL && e.SOAR_PHONE_API_TOKEN
          ? { baseUrl: e.SOAR_PHONE_API_URL, from: e.SOAR_PHONE_FROM, token: e.SOAR_PHONE_API_TOKEN }
          : null,
      /** SMS and voice through Twilio or sipgate (docs/integrations.md); either replaces `phone`. */
      twilio: twilioOf(e),
      sipgate: sipgateOf(e),
      /** Where Twilio and sipgate report deliveries and key presses (the API's public address); null: no receipts, no acknowledgement by phone. */
      phoneCallbackUrl: e.SOAR_PHONE_CALLBACK_URL ?? null,
      socLanguage: e.SOAR_SOC_LANGUAGE,
    },
    /** The SOC's Teams channel (critical incidents, escalations, approvals waiting); null: off. */
    socChannel: e.SOAR_TEAMS_WEBHOOK_URL_REF ? { webhookUrlRef: e.SOAR_TEAMS_WEBHOOK_URL_REF, dashboardUrl: e.SOAR_DASHBOARD_URL as string, language: e.SOAR_SOC_LANGUAGE } : null,
    /** The SOC's own outbound webhook (tenants' webhooks are in their files); null: none. */
    socWebhook: e.SOAR_SOC_WEBHOOK_URL && e.SOAR_SOC_WEBHOOK_SECRET_REF ? { url: e.SOAR_SOC_WEBHOOK_URL, secretRef: e.SOAR_SOC_WEBHOOK_SECRET_REF } : null,
    /** IoC enrichment providers (an absent one is off) and how long an answer is reused. */
    enrichment: {
      virustotal: e.SOAR_VIRUSTOTAL_API_KEY_REF ? { baseUrl: e.SOAR_VIRUSTOTAL_BASE_URL, apiKeyRef: e.SOAR_VIRUSTOTAL_API_KEY_REF } : null,
      abuseipdb: e.SOAR_ABUSEIPDB_API_KEY_REF ? { baseUrl: e.SOAR_ABUSEIPDB_BASE_URL, apiKeyRef: e.SOAR_ABUSEIPDB_API_KEY_REF } : null,
      misp: e.SOAR_MISP_URL && e.SOAR_MISP_API_KEY_REF ? { baseUrl: e.SOAR_MISP_URL, apiKeyRef: e.SOAR_MISP_API_KEY_REF } : null,
      cacheTtlMs: e.SOAR_ENRICHMENT_CACHE_HOURS * 3_600_000,
    },
    /** Where the response activities reach Microsoft (firewall addresses come from the tenant files). */
    vendorEndpoints: {
      graphBaseUrl: e.SOAR_GRAPH_BASE_URL,
      authorityHost: e.SOAR_ENTRA_AUTHORITY_HOST,
      defenderBaseUrl: e.SOAR_DEFENDER_BASE_URL,
    },
    events: {
      mappingsDir: resolve(cwd, e.SOAR_MAPPINGS_DIR),
      correlationWindowMs: e.SOAR_CORRELATION_WINDOW_MINUTES * 60_000,
      bodyLimitBytes: e.SOAR_EVENTS_BODY_LIMIT_BYTES,
      /** UDP and TCP on one port; null: no listener. */
      syslog: {
        host: e.SOAR_SYSLOG_HOST,
        port: e.SOAR_SYSLOG_PORT ?? null,
        /** Syslog over TLS (RFC 5425) on its own port; null: none. */
        tls:
          e.SOAR_SYSLOG_TLS_PORT !== undefined && e.SOAR_SYSLOG_TLS_CERT_FILE && e.SOAR_SYSLOG_TLS_KEY_FILE
            ? { port: e.SOAR_SYSLOG_TLS_PORT, certFile: resolve(cwd, e.SOAR_SYSLOG_TLS_CERT_FILE), keyFile: resolve(cwd, e.SOAR_SYSLOG_TLS_KEY_FILE) }
            : null,
      },
    },
    api: {
      host: e.API_HOST,
      port: e.API_PORT,
      bodyLimitBytes: e.API_BODY_LIMIT_BYTES,
      keysFile: resolve(cwd, e.SOAR_API_KEYS_FILE ?? DEV_API_KEYS_FILE),
      printDevKeys: e.SOAR_PRINT_DEV_KEYS,
      /** Per API key (or client address before authentication), per minute; answers 429 with Retry-After past it. */
      rateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
      /** All keys of one tenant together, per minute; null: no such limit. */
      tenantRateLimitPerMinute: e.API_TENANT_RATE_LIMIT_PER_MINUTE ?? null,
      /** A request still unanswered after this answers 503; the server's header and request timeouts follow it. */
      requestTimeoutMs: e.API_REQUEST_TIMEOUT_MS,
      /** A workflow start still unanswered after this fails as unavailable (the client library would retry for about 20 s). */
      startDeadlineMs: e.API_START_DEADLINE_MS,
      /** Browser origins allowed to call the API (CORS); empty: none. */
      corsOrigins: e.API_CORS_ORIGINS,
      /** Bearer token Prometheus sends to GET /metrics (admin API keys are accepted too); unset: admin keys only. */
      metricsToken: e.SOAR_METRICS_TOKEN ?? null,
      /** Intake requests in progress at once in this process; the next answers 429 with Retry-After. */
      intakeMaxInFlight: e.API_INTAKE_MAX_IN_FLIGHT,
      /** Requests answered 401 per client address per minute, then 429 (key guessing). */
      failedAuthPerMinute: e.API_FAILED_AUTH_PER_MINUTE,
      /** Of those, one tenant's at most (a flood from one tenant leaves room for the others). */
      intakeMaxInFlightPerTenant: e.API_INTAKE_MAX_IN_FLIGHT_PER_TENANT,
      /** Express `trust proxy`: whose X-Forwarded-For/-Proto count (client address for limits, https for Secure cookies). */
      trustProxy: e.API_TRUST_PROXY,
    },
    logLevel: e.SOAR_LOG_LEVEL,
    /** null: the process's default (json; text under `npm start`). */
    logFormat: e.SOAR_LOG_FORMAT ?? null,
    /** The embedded set-up's outbox (infra/outbox), set by `npm start` only: no other process has one. */
    outboxFile: null as string | null,
    /** Where OTLP/HTTP trace export goes (`<endpoint>/v1/traces`, or the traces endpoint as given); null: no export. */
    tracing: {
      otlpTracesUrl: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` : null),
      /** Whether the workflows this engine starts make spans inside the sandbox (workflows/tracingInterceptors.ts). */
      workflow: e.SOAR_WORKFLOW_TRACING,
    },
    /** The worker's Temporal SDK metrics (Prometheus) at http://host:port/metrics; null: not exported. */
    workerMetrics: e.SOAR_WORKER_METRICS_PORT === undefined ? null : { host: e.SOAR_WORKER_METRICS_HOST, port: e.SOAR_WORKER_METRICS_PORT },
    /** The alert worker's workflow cache size; null: the SDK default. */
    workerMaxCachedWorkflows: e.SOAR_WORKER_MAX_CACHED_WORKFLOWS ?? null,
    /** The alert worker's workflow threads (infra/temporal/workflowThreads.ts): `__stack_trace` answered, heap limit (its default allows for traced workflows). */
    workflowThreads: { stackTraces: e.SOAR_WORKFLOW_STACK_TRACES === 'on', heapMiB: e.SOAR_WORKFLOW_HEAP_MIB ?? null, tracedWorkflows: e.SOAR_WORKFLOW_TRACING === 'on' },
    /** A prebuilt workflow bundle file; null: bundled from source at start. */
    workflowBundlePath: e.SOAR_WORKFLOW_BUNDLE ? prebuiltBundlePath(e.SOAR_WORKFLOW_BUNDLE, cwd) : null,
    /** The alert worker's deployment version (Worker Versioning, workflows pinned to the build they started on); null: unversioned. */
    workerDeployment: workerDeploymentOf(e.SOAR_WORKER_DEPLOYMENT_NAME, e.SOAR_WORKER_BUILD_ID),
    /** The weekly credential-leak check (R4); null: no API key reference, the check fails visibly as not configured. */
    leakCheck: e.SOAR_HIBP_API_KEY_REF ? { baseUrl: e.SOAR_HIBP_BASE_URL, apiKeyRef: e.SOAR_HIBP_API_KEY_REF, userAgent: e.SOAR_HIBP_USER_AGENT } : null,
    /** Every tenant with Graph credentials is pulled this often; its first pull reaches back this far. */
    graphPull: { intervalMinutes: e.SOAR_GRAPH_PULL_INTERVAL_MINUTES, firstPullLookbackMs: e.SOAR_GRAPH_PULL_LOOKBACK_HOURS * 3_600_000 },
    /** Each vendor's calls per minute, enforced by Temporal on the vendor's task queue for the whole cluster. */
    vendorCallsPerMinute: {
      graph: e.SOAR_GRAPH_CALLS_PER_MINUTE,
      defender: e.SOAR_DEFENDER_CALLS_PER_MINUTE,
      firewall: e.SOAR_FIREWALL_CALLS_PER_MINUTE,
      hibp: e.SOAR_HIBP_CALLS_PER_MINUTE,
      virustotal: e.SOAR_VIRUSTOTAL_CALLS_PER_MINUTE,
      abuseipdb: e.SOAR_ABUSEIPDB_CALLS_PER_MINUTE,
      misp: e.SOAR_MISP_CALLS_PER_MINUTE,
    },
    /** Each tenant's own calls per minute to a vendor (null: only its fair share of the vendor's rate). */
    tenantCallsPerMinute: {
      graph: e.SOAR_GRAPH_TENANT_CALLS_PER_MINUTE ?? null,
      defender: e.SOAR_DEFENDER_TENANT_CALLS_PER_MINUTE ?? null,
      firewall: e.SOAR_FIREWALL_TENANT_CALLS_PER_MINUTE ?? null,
      hibp: e.SOAR_HIBP_TENANT_CALLS_PER_MINUTE ?? null,
    },
    /** AES-256-GCM payload encryption: where the keys are, whether they are development keys `npm start` may create. */
    payloadEncryption: {
      keysFile: e.SOAR_PAYLOAD_KEYS_FILE ? resolve(cwd, e.SOAR_PAYLOAD_KEYS_FILE) : resolve(dataDir, 'payload-keys.yaml'),
      devKeys: !e.SOAR_PAYLOAD_KEYS_FILE,
      codecCorsOrigin: e.SOAR_CODEC_CORS_ORIGIN ?? null,
      /** The Temporal UI behind the dashboard's login (auditors and admins), with this codec; null: not served. */
      temporalUiUrl: e.SOAR_TEMPORAL_UI_URL ?? null,
    },
  };
}

/**
 * Resolves the tenant files' `env:NAME` references against the environment (and `file:` references against mounted
 * files). Kept apart from `loadConfig` so that the config object never holds secrets.
 */
export function secretResolverFromEnvironment(env: NodeJS.ProcessEnv = process.env): SecretResolver {
  return createSecretResolver(env);
}

/** Both the deployment name and the build id, or neither: a versioned worker needs the two (docs/audit.md). */
function workerDeploymentOf(deploymentName: string | undefined, buildId: string | undefined): { deploymentName: string; buildId: string } | null {
  if (deploymentName === undefined && buildId === undefined) return null;
  if (deploymentName === undefined || buildId === undefined) {
    throw new ConfigError(deploymentName === undefined ? 'SOAR_WORKER_DEPLOYMENT_NAME' : 'SOAR_WORKER_BUILD_ID', 'Worker Versioning needs both SOAR_WORKER_DEPLOYMENT_NAME and SOAR_WORKER_BUILD_ID');
  }
  return { deploymentName, buildId };
}
