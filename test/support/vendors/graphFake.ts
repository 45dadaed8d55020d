/** Fake Microsoft Graph v1.0: users (accountEnabled, transitive groups), revokeSignInSessions, riskyUsers, alerts_v2 listing, comments and updates. */
import type { EntraAuthorityFake } from './entraAuthorityFake';
import { FailureQueue, startHttpsFake, type FakeReply, type ProgrammedFailure, type RecordedRequest, type RunningFake } from './httpsFake';

export interface FakeGraphUser {
  id: string;
  upn: string;
  accountEnabled: boolean;
  groups: string[];
  /** Holds an admin role: disabling it answers 403 Authorization_RequestDenied (the app's role is not high enough). */
  privileged: boolean;
  sessionsRevoked: number;
  /** Exchange addresses (`proxyAddresses`, e.g. `smtp:ceo@…`); the UPN is `mail` and the primary `SMTP:` address. */
  proxyAddresses: string[];
}

export interface FakeGraphAlert {
  id: string;
  status: string;
  classification: string | null;
  determination: string | null;
  comments: string[];
  /** Set for alerts the listing returns (`GET /security/alerts_v2?$filter=lastUpdateDateTime ge|gt ...`). */
  lastUpdateDateTime?: string;
  title?: string;
  severity?: string;
  /** The rest of the alert as Graph lists it (tenantId, evidence, ...); the fake's own fields win. */
  body?: Record<string, unknown>;
}

const GROUP_PAGE_SIZE = 2;
/** Fewer than any `$top` asked for, so tests see `@odata.nextLink` paging (Graph may return less than `$top`). */
const ALERT_PAGE_SIZE = 2;

export class GraphFake {
  private users = new Map<string, FakeGraphUser>();
  private alerts = new Map<string, FakeGraphAlert>();
  private failures = new FailureQueue();
  readonly confirmedCompromised: string[] = [];
  /** How revokeSignInSessions answers: 200 {value:true} (documented) or 204. */
  revokeStatus: 200 | 204 = 200;
  url = '';

  constructor(
    private readonly log: RecordedRequest[],
    private readonly authority: EntraAuthorityFake,
  ) {
    this.seed();
  }

  async start(): Promise<RunningFake> {
    const running = await startHttpsFake('graph', this.log, (request) => this.answer(request));
    this.url = running.url;
    return running;
  }

  addUser(user: Partial<FakeGraphUser> & { upn: string }): FakeGraphUser {
    const full: FakeGraphUser = { id: `00000000-0000-4000-8000-${String(this.users.size + 1).padStart(12, '0')}`, accountEnabled: true, groups: [], privileged: false, sessionsRevoked: 0, proxyAddresses: [], ...user, upn: user.upn.toLowerCase() };
    this.users.set(full.id, full);
    return full;
  }

  /** The user by UPN or object id; throws when the fake has none (a typo in a test). */
  user(upnOrId: string): FakeGraphUser {
    const user = this.find(upnOrId);
    if (!user) throw new Error(`The Graph fake has no user ${upnOrId}`);
    return user;
  }

  addAlert(id: string): FakeGraphAlert {
    const alert: FakeGraphAlert = { id, status: 'new', classification: null, determination: null, comments: [] };
    this.alerts.set(id, alert);
    return alert;
  }

  /** An alert the listing returns; adding an id again updates it (a new lastUpdateDateTime, as Graph would). */
  putListedAlert(alert: { id: string; lastUpdateDateTime: string; title?: string; severity?: string; body?: Record<string, unknown> }): FakeGraphAlert {
    const existing = this.alerts.get(alert.id) ?? this.addAlert(alert.id);
    Object.assign(existing, alert);
    return existing;
  }

  alert(id: string): FakeGraphAlert | undefined {
    return this.alerts.get(id);
  }

  /** The next `count` Graph requests (matching `pathPart`, when given) answer with this failure. */
  failNext(count: number, failure: ProgrammedFailure = { status: 429, retryAfter: '0' }, pathPart?: string): void {
    this.failures.add(count, failure, (r) => pathPart === undefined || r.path.includes(pathPart));
  }

  reset(): void {
    this.users.clear();
    this.alerts.clear();
    this.failures.clear();
    this.confirmedCompromised.length = 0;
    this.revokeStatus = 200;
    this.seed();
  }

  private seed(): void {
    this.addUser({ upn: 'j.becker@mueller-logistik.example', groups: ['MU-Office-Users', 'MU-Dispatch', 'MU-All-Staff'] });
    this.addUser({ upn: 's.krause@mueller-logistik.example', groups: ['MU-IT', 'MU-All-Staff'] });
    this.addUser({ upn: 'it-admin@mueller-logistik.example', groups: ['MU-IT-Admins'], privileged: true });
    this.addUser({ upn: 'p.lang@rheinwerk-maschinenbau.example', groups: ['RW-Office-Users'] });
    this.addAlert('da637551227677560813_-961444813');
  }

  private find(upnOrId: string): FakeGraphUser | undefined {
    const key = upnOrId.toLowerCase();
    return this.users.get(upnOrId) ?? [...this.users.values()].find((u) => u.upn === key);
  }

  private answer(request: RecordedRequest): FakeReply {
    if (!this.authority.tokenInfo(request.authorization)) {
      return error(401, 'InvalidAuthenticationToken', 'Access token is empty or was not issued by the test authority.');
    }
    const failure = this.failures.take(request);
    if (failure) return failure;
    const path = request.path.replace(/^\/v1\.0/, '');
    const { method } = request;
    let m: RegExpExecArray | null;

    if ((m = /^\/users\/([^/]+)$/.exec(path))) {
      const user = this.find(m[1] ?? '');
      if (!user) return notFound(m[1] ?? '');
      if (method === 'GET') {
        const body = { '@odata.context': `${this.url}/v1.0/$metadata#users(id,accountEnabled,userPrincipalName,mail,proxyAddresses)/$entity`, id: user.id, accountEnabled: user.accountEnabled, userPrincipalName: user.upn };
        return { status: 200, body: { ...body, mail: user.upn, proxyAddresses: [`SMTP:${user.upn}`, ...user.proxyAddresses] } };
      }
      if (method === 'PATCH') {
        const body = (request.body ?? {}) as Record<string, unknown>;
        if (typeof body.accountEnabled !== 'boolean') return error(400, 'Request_BadRequest', 'Invalid value specified for property accountEnabled.');
        if (user.privileged) return error(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
        user.accountEnabled = body.accountEnabled;
        return { status: 204 };
      }
    }
    if ((m = /^\/users\/([^/]+)\/revokeSignInSessions$/.exec(path)) && method === 'POST') {
      const user = this.find(m[1] ?? '');
      if (!user) return notFound(m[1] ?? '');
      user.sessionsRevoked += 1;
      return this.revokeStatus === 204 ? { status: 204 } : { status: 200, body: { '@odata.context': `${this.url}/v1.0/$metadata#Edm.Boolean`, value: true } };
    }
    if ((m = /^\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.group$/.exec(path)) && method === 'GET') {
      const user = this.find(m[1] ?? '');
      if (!user) return notFound(m[1] ?? '');
      const skip = Number(request.query['$skiptoken'] ?? '0');
      const page = user.groups.slice(skip, skip + GROUP_PAGE_SIZE).map((displayName, i) => ({ '@odata.type': '#microsoft.graph.group', id: `group-${skip + i}`, displayName }));
      const next = skip + GROUP_PAGE_SIZE < user.groups.length ? `${this.url}/v1.0/users/${user.id}/transitiveMemberOf/microsoft.graph.group?$select=displayName&$skiptoken=${skip + GROUP_PAGE_SIZE}` : undefined;
      return { status: 200, body: { value: page, ...(next ? { '@odata.nextLink': next } : {}) } };
    }
    if (path === '/identityProtection/riskyUsers/confirmCompromised' && method === 'POST') {
      const body = (request.body ?? {}) as { userIds?: unknown };
      if (!Array.isArray(body.userIds) || body.userIds.length === 0) return error(400, 'BadRequest', 'userIds is required.');
      for (const id of body.userIds) {
        if (!this.users.has(String(id))) return error(400, 'BadRequest', `Invalid user id ${String(id)}.`);
      }
      this.confirmedCompromised.push(...body.userIds.map(String));
      return { status: 204 };
    }
    if (path === '/security/alerts_v2' && method === 'GET') return this.listAlerts(request);
    if ((m = /^\/security\/alerts_v2\/([^/]+)\/comments$/.exec(path)) && method === 'POST') {
      const alert = this.alerts.get(m[1] ?? '');
      if (!alert) return notFound(m[1] ?? '');
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (body['@odata.type'] !== 'microsoft.graph.security.alertComment' || typeof body.comment !== 'string') return error(400, 'BadRequest', 'An alertComment needs @odata.type and comment.');
      alert.comments.push(body.comment);
      return { status: 200, body: { value: alert.comments.map((comment) => ({ '@odata.type': 'microsoft.graph.security.alertComment', comment, createdByDisplayName: 'SOAR app' })) } };
    }
    if ((m = /^\/security\/alerts_v2\/([^/]+)$/.exec(path)) && method === 'GET') {
      const alert = this.alerts.get(m[1] ?? '');
      return alert ? { status: 200, body: this.alertJson(alert) } : notFound(m[1] ?? '');
    }
    if ((m = /^\/security\/alerts_v2\/([^/]+)$/.exec(path)) && method === 'PATCH') {
      const alert = this.alerts.get(m[1] ?? '');
      if (!alert) return notFound(m[1] ?? '');
      const body = (request.body ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(body)) {
        if (!['status', 'classification', 'determination', 'assignedTo'].includes(key)) return error(400, 'BadRequest', `Property ${key} cannot be updated.`);
      }
      if (typeof body.status === 'string') alert.status = body.status;
      if (typeof body.classification === 'string') alert.classification = body.classification;
      if (typeof body.determination === 'string') alert.determination = body.determination;
      return { status: 200, body: { '@odata.type': '#microsoft.graph.security.alert', ...alert, comments: undefined } };
    }
    return error(400, 'BadRequest', `The Graph fake has no ${method} ${path}`);
  }

  /** One alert as Graph answers it (listing and `GET /security/alerts_v2/{id}`). */
  private alertJson(a: FakeGraphAlert): Record<string, unknown> {
    return {
      '@odata.type': '#microsoft.graph.security.alert',
      title: null,
      severity: 'medium',
      serviceSource: 'microsoftDefenderForOffice365',
      createdDateTime: a.lastUpdateDateTime,
      ...a.body,
      ...(a.title === undefined ? {} : { title: a.title }),
      ...(a.severity === undefined ? {} : { severity: a.severity }),
      id: a.id,
      status: a.status,
      lastUpdateDateTime: a.lastUpdateDateTime,
    };
  }

  /** `$filter=lastUpdateDateTime ge|gt <ISO>` (the only filter the fake knows), unordered as Graph's, paged by `$skiptoken`. */
  private listAlerts(request: RecordedRequest): FakeReply {
    const filter = request.query['$filter'];
    const m = filter === undefined ? null : /^lastUpdateDateTime (ge|gt) (\S+)$/.exec(filter);
    if (filter !== undefined && !m) return error(400, 'BadRequest', `Invalid filter clause: ${filter}`);
    const since = m?.[2] === undefined ? -Infinity : Date.parse(m[2]);
    // Milliseconds suffice here: the fake's timestamps have no more precision.
    const listed = [...this.alerts.values()]
      .filter((a) => a.lastUpdateDateTime !== undefined)
      .filter((a) => (m?.[1] === 'gt' ? Date.parse(a.lastUpdateDateTime ?? '') > since : Date.parse(a.lastUpdateDateTime ?? '') >= since))
      .reverse();
    const skip = Number(request.query['$skiptoken'] ?? '0');
    const page = listed.slice(skip, skip + ALERT_PAGE_SIZE).map((a) => this.alertJson(a));
    const nextQuery = new URLSearchParams({ ...(filter === undefined ? {} : { $filter: filter }), $skiptoken: String(skip + ALERT_PAGE_SIZE) });
    const next = skip + ALERT_PAGE_SIZE < listed.length ? `${this.url}/v1.0/security/alerts_v2?${nextQuery.toString()}` : undefined;
    return { status: 200, body: { '@odata.context': `${this.url}/v1.0/$metadata#security/alerts_v2`, value: page, ...(next ? { '@odata.nextLink': next } : {}) } };
  }
}

function error(status: number, code: string, message: string): FakeReply {
  return { status, body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': 'fake-request', 'client-request-id': 'fake-client' } } } };
}

function notFound(id: string): FakeReply {
  return error(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}
