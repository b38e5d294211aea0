/**
 * `createMockClassLink`: an in-process ClassLink (OneClick IdP, LaunchPad, `/v2/my/info`, tenant
 * discovery and the OneRoster proxy) for tests, examples and browser tests.
 *
 * @module
 */
import type { HttpHandler } from 'msw';
import type { ClassLinkSsoOptions } from '../../sso/options';
import {
  createFetch,
  createMswHandlers,
  type ListenOptions,
  listenHttp,
  type MockListener,
} from '../mock/adapters';
import {
  handleLaunchpadHome,
  handleLaunchpadLaunch,
  handleLaunchpadLogin,
  LAUNCHPAD_PATHS,
} from './launchpad-routes';
import {
  handleAuthorize,
  handleDiscovery,
  handleJwks,
  handleLogin,
  handleToken,
  handleUserInfo,
  launchUrl,
  OIDC_PATHS,
  programmaticAuthorize,
} from './oidc-routes';
import { handleApplications, handleProxy, handleServer, matchProxyPath } from './partner-routes';
import { MockClassLinkStore, type StoredTenant } from './store';
import type {
  MockClassLinkClient,
  MockClassLinkOptions,
  MockClassLinkQuirks,
  MockClassLinkRoute,
  MockClassLinkTenant,
  MockClassLinkUser,
  MockFailure,
} from './types';

/** One request the mock answered (no query string: it may hold codes). */
export interface MockClassLinkRequest {
  method: string;
  path: string;
  status: number;
}

/** A tenant as the mock publishes it in `/applications`. */
export interface MockClassLinkTenantInfo {
  tenantId: number;
  name: string;
  /** `oneroster_application_id`, percent-encoded as ClassLink sends it. */
  applicationId: string;
  bearer: string;
}

/** The mock's endpoint URLs (they change when `listen()` starts a server). */
export interface MockClassLinkEndpoints {
  authorization: string;
  token: string;
  jwks: string;
  discovery: string;
  userInfo: string;
  launchpad: string;
  /** Root of `/applications` and of the OneRoster proxy. */
  proxy: string;
}

/** A running mock ClassLink. */
export interface MockClassLink {
  /** Origin of every endpoint: `https://classlink.mock`, or `http://127.0.0.1:<port>` once listening. */
  readonly baseUrl: string;
  /** The OIDC issuer (equal to `baseUrl`). */
  readonly issuer: string;
  readonly endpoints: MockClassLinkEndpoints;
  /** The partner API key `/applications` expects. */
  readonly partnerKey: string;
  /** Requests answered so far, oldest first. */
  readonly requests: readonly MockClassLinkRequest[];
  /** Answer a request in-process (requests to other origins reject like a DNS failure). */
  fetch: typeof globalThis.fetch;
  /**
   * msw handlers for the mock's origin, for `setupServer(...mock.handlers)`. Needs the optional
   * peer dependency msw (loaded on first read).
   */
  readonly handlers: HttpHandler[];
  /** Serve on a 127.0.0.1 port (for browsers); endpoints switch to that origin. */
  listen(options?: ListenOptions): Promise<MockListener>;
  /** Stop the server started by `listen()`, if any. */
  close(): Promise<void>;
  /** Options for `createClassLinkSso` pointing at this mock (first client unless named). */
  ssoOptions(clientId?: string): ClassLinkSsoOptions & { fetch: typeof globalThis.fetch };
  /** Complete an authorization request as `loginId` would at the form; returns the callback URL. */
  login(authorizationUrl: string | URL, loginId: string): string;
  /** Refuse an authorization request as the user would; returns the callback URL. */
  deny(authorizationUrl: string | URL): string;
  /** A LaunchPad tile click by `loginId`: the callback URL with a bare code. */
  launch(loginId: string, options?: { clientId?: string }): string;
  /** Sign new ID tokens with a fresh key; returns its `kid`. */
  rotateKeys(options?: { keepPrevious?: boolean }): string;
  /** Change quirks at runtime (merged per section). */
  configure(quirks: MockClassLinkQuirks): void;
  /** Answer the next `times` requests to `route` with `failure`. */
  failNext(route: MockClassLinkRoute, failure: MockFailure, times?: number): void;
  /** Sign in this user at once on every authorize request (or `undefined` to show the form). */
  setAutoLogin(loginId: string | undefined): void;
  addClient(client: MockClassLinkClient): void;
  addUser(user: MockClassLinkUser): void;
  addTenant(tenant: MockClassLinkTenant): MockClassLinkTenantInfo;
  /** The published id and bearer of a tenant. */
  tenant(tenantId: number): MockClassLinkTenantInfo;
}

function tenantInfo(tenant: StoredTenant): MockClassLinkTenantInfo {
  return {
    tenantId: tenant.tenantId,
    name: tenant.name,
    applicationId: tenant.applicationId,
    bearer: tenant.bearer,
  };
}

function failureResponse(failure: MockFailure): Response {
  return new Response(failure.body ?? '', {
    status: failure.status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...failure.headers },
  });
}

function notFound(): Response {
  return new Response(JSON.stringify({ status: 0, message: 'Not found' }), {
    status: 404,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/**
 * Create a mock ClassLink. It signs ID tokens with RS256 keys generated at start (rotatable),
 * issues single-use 5-minute codes, verifies PKCE when a challenge was sent, authenticates
 * clients (`client_secret_post` or `_basic`), serves PascalCase `/v2/my/info`, lists tenants at
 * `/applications` (paged, no count headers, string booleans) and proxies
 * `/{applicationId}/ims/oneroster/v1p1/...` to each tenant's roster (a mock OneRoster server).
 *
 * Three ways to reach it: `mock.fetch` (inject it), `mock.handlers` (msw), `mock.listen()` (a
 * real port, for browsers).
 *
 * @example
 * ```ts
 * import { createMockClassLink } from '@smartpass/oneroster/testing';
 * import { createClassLinkSso } from '@smartpass/oneroster/sso';
 *
 * const mock = createMockClassLink({
 *   tenants: [{ tenantId: 2, name: 'ClassLink Demo' }],
 *   users: [{ loginId: 'ada', tenantId: 2, sourcedId: 'u-1', firstName: 'Ada', lastName: 'L' }],
 * });
 * const sso = createClassLinkSso({ ...mock.ssoOptions(), allowIdpInitiated: true });
 * const start = await sso.authorizationUrl();
 * const login = await sso.handleCallback(mock.login(start.url, 'ada'), start);
 * login.rosterKey; // { tenantId: '2', sourcedId: 'u-1', loginId: 'ada' }
 * ```
 */
export function createMockClassLink(options: MockClassLinkOptions = {}): MockClassLink {
  const store = new MockClassLinkStore(options);
  const requests: MockClassLinkRequest[] = [];
  let server: MockListener | undefined;
  const owns = (url: URL): boolean => url.origin === store.baseUrl;

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const method = request.method.toUpperCase();
    const failed = (name: MockClassLinkRoute): Response | undefined => {
      const failure = store.takeFailure(name);
      return failure ? failureResponse(failure) : undefined;
    };
    if (method === 'GET' && path === OIDC_PATHS.authorize) return handleAuthorize(store, url);
    if (method === 'POST' && path === OIDC_PATHS.login) return handleLogin(store, request);
    if (method === 'POST' && path === OIDC_PATHS.token) {
      return failed('token') ?? handleToken(store, request);
    }
    if (method === 'GET' && path === OIDC_PATHS.jwks) return failed('jwks') ?? handleJwks(store);
    if (method === 'GET' && path === OIDC_PATHS.discovery) return handleDiscovery(store);
    if (method === 'GET' && path === OIDC_PATHS.userInfo) {
      return failed('userInfo') ?? handleUserInfo(store, request);
    }
    if (method === 'GET' && path === LAUNCHPAD_PATHS.home) return handleLaunchpadHome();
    if (method === 'POST' && path === LAUNCHPAD_PATHS.login) {
      return handleLaunchpadLogin(store, request);
    }
    if (method === 'GET' && path === LAUNCHPAD_PATHS.launch)
      return handleLaunchpadLaunch(store, url);
    if (method === 'GET' && path === '/applications') {
      return failed('applications') ?? handleApplications(store, request);
    }
    const server = /^\/applications\/([^/]+)\/server$/.exec(path);
    if (method === 'GET' && server?.[1]) return handleServer(store, request, server[1]);
    const proxy = matchProxyPath(path);
    if (proxy) return failed('proxy') ?? handleProxy(store, request, proxy);
    return notFound();
  }

  async function handle(request: Request): Promise<Response> {
    const response = await route(request);
    requests.push({
      method: request.method.toUpperCase(),
      path: new URL(request.url).pathname,
      status: response.status,
    });
    return response;
  }

  // Requests to any other origin fail like an unknown host, so a misconfigured endpoint is loud.
  const fetch = createFetch(handle, owns);

  const endpoints = (): MockClassLinkEndpoints => ({
    authorization: `${store.baseUrl}${OIDC_PATHS.authorize}`,
    token: `${store.baseUrl}${OIDC_PATHS.token}`,
    jwks: `${store.baseUrl}${OIDC_PATHS.jwks}`,
    discovery: `${store.baseUrl}${OIDC_PATHS.discovery}`,
    userInfo: `${store.baseUrl}${OIDC_PATHS.userInfo}`,
    launchpad: `${store.baseUrl}${LAUNCHPAD_PATHS.home}`,
    proxy: store.baseUrl,
  });

  const findTenant = (tenantId: number): StoredTenant => {
    const tenant = store.tenants.find((t) => t.tenantId === tenantId);
    if (!tenant) throw new Error(`The mock ClassLink has no tenant ${tenantId}`);
    return tenant;
  };

  return {
    get baseUrl() {
      return store.baseUrl;
    },
    get issuer() {
      return store.baseUrl;
    },
    get endpoints() {
      return endpoints();
    },
    get partnerKey() {
      return store.partnerKey;
    },
    requests,
    fetch,
    get handlers() {
      return createMswHandlers(handle, owns);
    },
    async listen(listenOptions = {}) {
      if (server) return server;
      server = await listenHttp(handle, { basePath: '', tokenPath: undefined }, listenOptions);
      store.baseUrl = server.url;
      return server;
    },
    async close() {
      const running = server;
      server = undefined;
      await running?.close();
    },
    ssoOptions(clientId) {
      const client =
        clientId === undefined ? store.clients.values().next().value : store.clients.get(clientId);
      if (!client) throw new Error(`The mock ClassLink has no client ${clientId ?? ''}`);
      const urls = endpoints();
      return {
        issuer: store.baseUrl,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        redirectUri: client.redirectUris[0] as string,
        endpoints: {
          authorization: urls.authorization,
          token: urls.token,
          jwks: urls.jwks,
          userInfo: urls.userInfo,
        },
        fetch,
      };
    },
    login: (authorizationUrl, loginId) =>
      programmaticAuthorize(store, authorizationUrl, { loginId }),
    deny: (authorizationUrl) => programmaticAuthorize(store, authorizationUrl, { deny: true }),
    launch: (loginId, launchOptions = {}) => launchUrl(store, loginId, launchOptions.clientId),
    rotateKeys: (rotateOptions) => store.keys.rotate(rotateOptions),
    configure(quirks) {
      const merged: Record<string, unknown> = { ...store.quirks };
      for (const [section, value] of Object.entries(quirks)) {
        merged[section] = { ...(merged[section] as object | undefined), ...(value as object) };
      }
      store.quirks = merged as MockClassLinkQuirks;
    },
    failNext(name, failure, times = 1) {
      const queue = store.failures.get(name) ?? [];
      for (let i = 0; i < times; i++) queue.push(failure);
      store.failures.set(name, queue);
    },
    setAutoLogin(loginId) {
      store.autoLogin = loginId;
    },
    addClient: (client) => store.addClient(client),
    addUser: (user) => {
      store.addUser(user);
    },
    addTenant: (tenant) => tenantInfo(store.addTenant(tenant)),
    tenant: (tenantId) => tenantInfo(findTenant(tenantId)),
  };
}
