/**
 * Everything the mock ClassLink remembers: registrations (clients, users, tenants) and protocol
 * state (pending authorization requests, codes, access tokens, injected failures).
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { hashSeed } from '../random';
import { SigningKeys } from './signing-keys';
import type {
  MockClassLinkClient,
  MockClassLinkOptions,
  MockClassLinkQuirks,
  MockClassLinkRoute,
  MockClassLinkTenant,
  MockClassLinkUser,
  MockFailure,
} from './types';

/** A user with defaults filled in. */
export type StoredUser = MockClassLinkUser & { userId: number; role: string; roleLevel: number };

/** A tenant with defaults filled in. */
export type StoredTenant = MockClassLinkTenant & {
  applicationId: string;
  bearer: string;
  pairingId: number;
};

/** An authorization request waiting for the login form. */
export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
}

/** An issued authorization code. */
export interface IssuedCode {
  clientId: string;
  /** The `redirect_uri` of the authorization request; `undefined` for LaunchPad launches. */
  redirectUri: string | undefined;
  loginId: string;
  scope: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  authTime: number;
  expiresAt: number;
  used: boolean;
  /** Access tokens issued for this code, revoked if the code is replayed. */
  accessTokens: string[];
}

/** An issued access token. */
export interface IssuedToken {
  clientId: string;
  loginId: string;
  scope: string;
  expiresAt: number;
  revoked: boolean;
}

/** A random URL-safe token. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** A stable UUID-shaped string from a seed, like ClassLink's per-district bearers. */
function seededUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A stable `oneroster_application_id` in ClassLink's form: base64 text, percent-encoded, so it
 * always contains `%2F` and ends in `%3D` (the case integrators get wrong by re-encoding).
 */
function seededApplicationId(tenantId: number): string {
  const text = createHash('sha256').update(`oneroster-app:${tenantId}`).digest('base64');
  const alnum = text.replace(/[^A-Za-z0-9]/g, '');
  return `${alnum.slice(0, 5)}%2F${alnum.slice(5, 11)}%3D`;
}

/** The protocol and registration state of one mock ClassLink. */
export class MockClassLinkStore {
  readonly keys = new SigningKeys();
  readonly clients = new Map<string, MockClassLinkClient>();
  readonly users = new Map<string, StoredUser>();
  readonly tenants: StoredTenant[] = [];
  readonly pending = new Map<string, PendingAuthorization>();
  readonly codes = new Map<string, IssuedCode>();
  readonly tokens = new Map<string, IssuedToken>();
  readonly failures = new Map<MockClassLinkRoute, MockFailure[]>();
  /** One-time LaunchPad tickets: ticket -> login name. */
  readonly launchTickets = new Map<string, string>();
  quirks: MockClassLinkQuirks;
  baseUrl: string;
  partnerKey: string;
  readonly partnerApplicationId: number;
  autoLogin: string | undefined;
  readonly codeTtlS: number;
  readonly accessTokenTtlS: number;
  readonly idTokenTtlS: number;
  readonly now: () => number;

  constructor(options: MockClassLinkOptions) {
    this.baseUrl = new URL(options.baseUrl ?? 'https://classlink.mock').origin;
    this.partnerKey = options.partnerKey ?? 'mock-partner-key';
    this.partnerApplicationId = options.partnerApplicationId ?? 4242;
    this.autoLogin = options.autoLogin;
    this.codeTtlS = options.codeTtlS ?? 300;
    this.accessTokenTtlS = options.accessTokenTtlS ?? 86_400;
    this.idTokenTtlS = options.idTokenTtlS ?? 86_400;
    // Looked up per call so fake timers installed after creation apply.
    this.now = options.now ?? (() => Date.now());
    this.quirks = options.quirks ?? {};
    const clients = options.clients ?? [
      {
        clientId: 'mock-client-id',
        clientSecret: 'mock-client-secret',
        redirectUris: ['https://app.mock/sso/callback'],
      },
    ];
    for (const client of clients) this.addClient(client);
    for (const tenant of options.tenants ?? []) this.addTenant(tenant);
    for (const user of options.users ?? []) this.addUser(user);
  }

  /** Register (or replace) an OAuth client. */
  addClient(client: MockClassLinkClient): void {
    if (client.redirectUris.length === 0) {
      throw new TypeError(`mock ClassLink client ${client.clientId} needs a redirect URI`);
    }
    this.clients.set(client.clientId, { ...client, redirectUris: [...client.redirectUris] });
  }

  /** Register (or replace, by tenant id) a district, filling in its application id and bearer. */
  addTenant(tenant: MockClassLinkTenant): StoredTenant {
    const stored: StoredTenant = {
      ...tenant,
      applicationId: tenant.applicationId ?? seededApplicationId(tenant.tenantId),
      bearer: tenant.bearer ?? seededUuid(`bearer:${tenant.tenantId}`),
      pairingId: 1000 + this.tenants.length,
    };
    const existing = this.tenants.findIndex((t) => t.tenantId === tenant.tenantId);
    if (existing === -1) this.tenants.push(stored);
    else this.tenants[existing] = stored;
    return stored;
  }

  /** Register (or replace, by login name) a person who can sign in. */
  addUser(user: MockClassLinkUser): StoredUser {
    const role = user.role ?? 'Student';
    const stored: StoredUser = {
      ...user,
      userId: user.userId ?? 8_000_000 + (hashSeed(user.loginId, user.tenantId) % 1_000_000),
      role,
      roleLevel: user.roleLevel ?? (role === 'Student' ? 4 : 3),
    };
    this.users.set(user.loginId.toLowerCase(), stored);
    return stored;
  }

  /** A user by login name, case-insensitively (like ClassLink's login form). */
  findUser(loginId: string): StoredUser | undefined {
    return this.users.get(loginId.trim().toLowerCase());
  }

  /** The district a user belongs to, when registered. */
  tenantOf(user: StoredUser): StoredTenant | undefined {
    return this.tenants.find((tenant) => tenant.tenantId === user.tenantId);
  }

  /** Take the next injected failure for a route, if any. */
  takeFailure(route: MockClassLinkRoute): MockFailure | undefined {
    const queue = this.failures.get(route);
    const failure = queue?.shift();
    if (queue && queue.length === 0) this.failures.delete(route);
    return failure;
  }

  /** Issue an authorization code for a signed-in user. */
  issueCode(init: Omit<IssuedCode, 'authTime' | 'expiresAt' | 'used' | 'accessTokens'>): string {
    const code = randomToken();
    const now = this.now();
    this.codes.set(code, {
      ...init,
      authTime: Math.floor(now / 1000),
      expiresAt: now + this.codeTtlS * 1000,
      used: false,
      accessTokens: [],
    });
    return code;
  }
}
