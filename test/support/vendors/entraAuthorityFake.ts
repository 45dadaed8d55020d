/** Fake Entra ID authority: the OpenID configuration @azure/identity (MSAL) reads and the client-credentials token endpoint. */
import { startHttpsFake, type RecordedRequest, type RunningFake } from './httpsFake';

export interface IssuedToken {
  token: string;
  tenant: string;
  clientId: string;
  scope: string;
}

export class EntraAuthorityFake {
  private issued = new Map<string, IssuedToken>();
  private refusedClients = new Set<string>();
  private counter = 0;
  url = '';

  constructor(private readonly log: RecordedRequest[]) {}

  async start(): Promise<RunningFake> {
    const running = await startHttpsFake('entra', this.log, (request) => this.answer(request));
    this.url = running.url;
    return running;
  }

  /** Every token handed out, in order. */
  tokens(): IssuedToken[] {
    return [...this.issued.values()];
  }

  tokenInfo(bearer: string | undefined): IssuedToken | undefined {
    return bearer?.startsWith('Bearer ') ? this.issued.get(bearer.slice('Bearer '.length)) : undefined;
  }

  /** The token endpoint answers this app with AADSTS7000215 (invalid client secret). */
  refuseClient(clientId: string): void {
    this.refusedClients.add(clientId);
  }

  reset(): void {
    this.issued.clear();
    this.refusedClients.clear();
  }

  private answer(request: RecordedRequest) {
    const [, tenant = 'common'] = request.path.split('/');
    const origin = this.url;
    if (request.method === 'GET' && request.path.endsWith('/.well-known/openid-configuration')) {
      return {
        status: 200,
        body: {
          issuer: `${origin}/${tenant}/v2.0`,
          authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
          token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
          jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
          end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
          response_modes_supported: ['query', 'fragment', 'form_post'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        },
      };
    }
    if (request.method === 'GET' && request.path.endsWith('/discovery/instance')) {
      return {
        status: 200,
        body: {
          tenant_discovery_endpoint: `${origin}/${tenant}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [{ preferred_network: new URL(origin).host, preferred_cache: new URL(origin).host, aliases: [new URL(origin).host] }],
        },
      };
    }
    if (request.method === 'POST' && request.path === `/${tenant}/oauth2/v2.0/token`) {
      const form = (request.body ?? {}) as Record<string, string>;
      if (form.grant_type !== 'client_credentials' || !form.client_id || !form.client_secret || !form.scope) {
        return { status: 400, body: { error: 'invalid_request', error_description: 'AADSTS900144: The request body must contain client_id, client_secret, scope and grant_type=client_credentials.' } };
      }
      if (this.refusedClients.has(form.client_id)) {
        return {
          status: 401,
          body: { error: 'invalid_client', error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${form.client_id}'.`, error_codes: [7000215] },
        };
      }
      this.counter += 1;
      const token = `fake-access-token-${this.counter}`;
      this.issued.set(token, { token, tenant, clientId: form.client_id, scope: form.scope });
      return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token } };
    }
    return { status: 404, body: { error: 'not_found', error_description: `The fake authority has no ${request.method} ${request.path}` } };
  }
}
