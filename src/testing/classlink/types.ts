/**
 * Option and data types of the mock ClassLink.
 *
 * @module
 */
import type { SignMode } from './signing-keys';

/** An OAuth client registered at the mock (a Partner Portal "OAuth2 configuration"). */
export interface MockClassLinkClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs; the first one also receives LaunchPad launches. */
  redirectUris: string[];
  /** Tile name on the LaunchPad page. @default 'SmartPass' */
  name?: string;
  /** Scopes a LaunchPad launch grants. @default 'openid profile' */
  launchScope?: string;
}

/** A person who can sign in at the mock. */
export interface MockClassLinkUser {
  /** Login name (`LoginId`), also what the login form asks for. */
  loginId: string;
  /** The district (`TenantId`). Must name a tenant when the proxy or `/applications` are used. */
  tenantId: number;
  /** ClassLink's account id (`UserId`, the ID token `sub`). @default generated */
  userId?: number;
  /** OneRoster sourcedId (`SourcedId`); leave out for districts without OneRoster. */
  sourcedId?: string;
  firstName: string;
  lastName: string;
  email?: string;
  /** `Student`, `Teacher`, `Tenant Administrator`, ... @default 'Student' */
  role?: string;
  /** @default 4 for students, 3 otherwise */
  roleLevel?: number;
  /** `OrgId` (school sourcedIds). */
  orgIds?: string[];
  /** When set, the login form requires it; otherwise any password is accepted. */
  password?: string;
  /** Extra keys added to `/v2/my/info`. */
  extra?: Record<string, unknown>;
}

/** Where the proxy forwards a tenant's OneRoster calls: a mock OneRoster server, usually. */
export interface MockRosterUpstream {
  /** The upstream's OneRoster root, e.g. `https://district.mock/ims/oneroster/v1p1`. */
  baseUrl: string;
  /** The upstream's fetch (a mock OneRoster server's `fetch`). */
  fetch: (input: Request) => Promise<Response>;
  /** Credentials the proxy signs with, like the real proxy signs to the district server. */
  oauth1?: { consumerKey: string; consumerSecret: string };
}

/** A district that shared its roster with the partner application. */
export interface MockClassLinkTenant {
  tenantId: number;
  name: string;
  /**
   * `oneroster_application_id` exactly as ClassLink returns it: percent-encoded (`%2F`, `%3D`).
   * @default a generated id containing `%2F` and `%3D`
   */
  applicationId?: string;
  /** The per-district proxy bearer. @default a generated UUID */
  bearer?: string;
  /** Sharing switched on. Sent as the string `"true"`/`"false"`, as ClassLink does. @default true */
  enabled?: boolean;
  /** `tenant_status`. @default 'Active' */
  status?: string;
  /** US state code, for `/v2/my/info` `StateName`. @default 'TX' */
  state?: string;
  /** The roster behind the proxy. Without it, proxy calls answer 502. */
  roster?: MockRosterUpstream;
  /** What `/applications/{id}/server` returns (direct-mode credentials). */
  server?: { clientId: string; clientSecret: string; endpointUrl: string };
}

/** Switchable deviations seen in real ClassLink traffic. All can be changed at runtime. */
export interface MockClassLinkQuirks {
  userInfo?: {
    /** How `OrgId` is sent. @default 'array' */
    orgId?: 'array' | 'string' | 'empty-string';
    /** Send `UserId`/`TenantId` as strings instead of numbers. @default false */
    idsAsStrings?: boolean;
    /** Leave `SourcedId` out (a district without OneRoster). @default false */
    omitSourcedId?: boolean;
    /** Extra keys on every response (e.g. `{ or_email: '' }`). */
    extraFields?: Record<string, unknown>;
  };
  idToken?: {
    /** Leave out `classLink_*` claims (whether ClassLink sends them is unverified). */
    omitCustomClaims?: boolean;
    /** Rewrite the claims before signing (wrong `iss`, `aud`, past `exp`, ...). */
    transform?: (claims: Record<string, unknown>) => Record<string, unknown>;
    /** How the ID token is signed. @default 'current' */
    sign?: SignMode;
  };
  token?: {
    /** Leave `id_token` out of the token response. @default false */
    omitIdToken?: boolean;
  };
  applications?: {
    /** Largest `limit` honoured; larger ones are clamped silently. @default 10_000 */
    maxPageSize?: number;
  };
  proxy?: {
    /** Add `x-count` (items in this page) to collection responses. @default true */
    countHeader?: boolean;
  };
}

/** An injected failure: the next matching request gets this response instead. */
export interface MockFailure {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** Routes a failure can be injected into. */
export type MockClassLinkRoute = 'token' | 'userInfo' | 'jwks' | 'applications' | 'proxy';

/** Options of `createMockClassLink`. */
export interface MockClassLinkOptions {
  /**
   * Origin of every endpoint in `fetch` mode; replaced by `http://127.0.0.1:<port>` by `listen()`.
   * @default 'https://classlink.mock'
   */
  baseUrl?: string;
  /** @default one client `mock-client-id` / `mock-client-secret`, redirect `https://app.mock/sso/callback` */
  clients?: MockClassLinkClient[];
  tenants?: MockClassLinkTenant[];
  users?: MockClassLinkUser[];
  /** The partner API key for `/applications`. @default 'mock-partner-key' */
  partnerKey?: string;
  /** `application_id` in `/applications` rows. @default 4242 */
  partnerApplicationId?: number;
  /**
   * Sign in this login name without showing the form (the authorize endpoint redirects at once).
   */
  autoLogin?: string;
  /** @default 300 (ClassLink: codes expire after 5 minutes) */
  codeTtlS?: number;
  /** @default 86_400 (ClassLink: access tokens last 24 hours) */
  accessTokenTtlS?: number;
  /** @default 86_400 (ClassLink's sample: `exp - iat` = 86400) */
  idTokenTtlS?: number;
  /** Clock in ms since the epoch, for codes and tokens. @default Date.now */
  now?: () => number;
  quirks?: MockClassLinkQuirks;
}
