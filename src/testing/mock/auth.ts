/**
 * Credential checks of the mock server, done for real: OAuth 1.0a signatures are verified over
 * the URL as received (RFC 5849, with the same primitives the client signs with), OAuth 2
 * client-credentials tokens are issued by a token endpoint, expire and carry scopes, and static
 * bearer tokens are compared. Failures answer 401 (403 for a missing scope) with the version's
 * error body.
 *
 * @module
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type OAuth1SignatureMethod,
  oauth1BaseString,
  oauth1Signature,
  parseOAuthAuthorizationHeader,
} from '../../auth/oauth1-signature';
import { ConfigurationError } from '../../errors';
import type { AuthCheck, AuthVerifier, RequestContext } from './handle';
import type { AuthOutcome } from './log';
import { errorResponse, jsonResponse } from './status-info';
import { SCOPE_PREFIXES, shortScope } from './versions';

/** OAuth 1.0a two-legged signing (OneRoster 1.1; ClassLink direct access). */
export interface MockOAuth1Auth {
  type: 'oauth1';
  /** Consumer key -> consumer secret. */
  consumers: Record<string, string>;
  /** Accepted methods. @default ['HMAC-SHA256', 'HMAC-SHA1'] */
  signatureMethods?: readonly OAuth1SignatureMethod[];
  /** Accepted clock difference in seconds, either way. @default 300 */
  timestampWindowS?: number;
}

/** OAuth 2 client credentials with a token endpoint (OneRoster 1.2, and 1.1 servers that offer it). */
export interface MockOAuth2Auth {
  type: 'oauth2';
  /**
   * Client id -> secret and the scopes it may be granted. Scopes may be written short
   * (`roster.readonly`) or as full URIs of either version.
   */
  clients: Record<string, { secret: string; scopes: readonly string[] }>;
  /** Absolute path of the token endpoint on the server's origin. @default '/oauth2/token' */
  tokenPath?: string;
  /** Lifetime of issued tokens in seconds. @default 3600 */
  tokenTtlS?: number;
}

/** Fixed bearer tokens (ClassLink's OAuth 2 proxy style); any listed token grants every endpoint. */
export interface MockBearerAuth {
  type: 'bearer';
  tokens: readonly string[];
}

/** How the mock server authenticates requests. */
export type MockAuthOptions = { type: 'none' } | MockOAuth1Auth | MockOAuth2Auth | MockBearerAuth;

/** The verifier plus runtime controls. */
export interface MockAuthVerifier extends AuthVerifier {
  /** Make every issued OAuth 2 token expired (the next request with one gets 401). */
  expireTokens(): void;
}

const REALM = 'OneRoster';

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function denied(
  context: RequestContext,
  outcome: AuthOutcome,
  description: string,
  challenge: string,
): AuthCheck {
  return {
    ok: false,
    outcome,
    response: errorResponse(
      context.version,
      401,
      'unauthorisedrequest',
      description,
      context.requestId,
      { 'WWW-Authenticate': challenge },
    ),
  };
}

const ALLOW_ALL = {
  allows: () => true,
  expireTokens: () => {},
  tokenPath: undefined,
} as const;

/** Build the verifier for the configured auth; checks the options. */
export function createAuthVerifier(options: MockAuthOptions | undefined): MockAuthVerifier {
  if (options === undefined || options.type === 'none') {
    return { ...ALLOW_ALL, verify: async () => ({ ok: true, outcome: 'none' }) };
  }
  switch (options.type) {
    case 'oauth1':
      return oauth1Verifier(options);
    case 'oauth2':
      return oauth2Verifier(options);
    case 'bearer':
      return bearerVerifier(options);
    default:
      throw new ConfigurationError(
        'auth.type',
        `must be 'none', 'oauth1', 'oauth2' or 'bearer', got ${String((options as { type?: unknown }).type)}`,
      );
  }
}

function oauth1Verifier(options: MockOAuth1Auth): MockAuthVerifier {
  const consumers = options.consumers;
  if (typeof consumers !== 'object' || consumers === null || Object.keys(consumers).length === 0) {
    throw new ConfigurationError(
      'auth.consumers',
      'must map at least one consumer key to its secret',
    );
  }
  for (const [key, secret] of Object.entries(consumers)) {
    if (typeof secret !== 'string' || secret === '') {
      throw new ConfigurationError(`auth.consumers.${key}`, 'must be a non-empty secret');
    }
  }
  const methods = options.signatureMethods ?? ['HMAC-SHA256', 'HMAC-SHA1'];
  if (!Array.isArray(methods) || methods.some((m) => m !== 'HMAC-SHA256' && m !== 'HMAC-SHA1')) {
    throw new ConfigurationError(
      'auth.signatureMethods',
      "must list 'HMAC-SHA256' and/or 'HMAC-SHA1'",
    );
  }
  const windowS = options.timestampWindowS ?? 300;
  if (typeof windowS !== 'number' || !(windowS >= 0)) {
    throw new ConfigurationError('auth.timestampWindowS', 'must be a number of seconds >= 0');
  }
  const challenge = `OAuth realm="${REALM}"`;
  /** `consumer|timestamp|nonce` -> epoch seconds after which it can be forgotten. */
  const nonces = new Map<string, number>();

  return {
    ...ALLOW_ALL,
    async verify(request, url, context) {
      const header = request.headers.get('authorization');
      if (header === null) {
        return denied(context, 'missing', 'Missing OAuth 1.0a Authorization header', challenge);
      }
      const params = parseOAuthAuthorizationHeader(header);
      if (params === null) {
        return denied(context, 'invalid', 'Malformed OAuth 1.0a Authorization header', challenge);
      }
      for (const name of [
        'oauth_consumer_key',
        'oauth_signature_method',
        'oauth_signature',
        'oauth_timestamp',
        'oauth_nonce',
      ]) {
        if (!params[name]) return denied(context, 'invalid', `Missing ${name}`, challenge);
      }
      if (params.oauth_version !== undefined && params.oauth_version !== '1.0') {
        return denied(context, 'invalid', 'oauth_version must be 1.0', challenge);
      }
      const consumerKey = params.oauth_consumer_key as string;
      const secret = Object.hasOwn(consumers, consumerKey) ? consumers[consumerKey] : undefined;
      if (secret === undefined)
        return denied(context, 'invalid', 'Unknown consumer key', challenge);
      const method = params.oauth_signature_method as OAuth1SignatureMethod;
      if (!methods.includes(method)) {
        return denied(
          context,
          'unsupported-method',
          `Unsupported oauth_signature_method; accepted: ${methods.join(', ')}`,
          challenge,
        );
      }
      const timestamp = params.oauth_timestamp as string;
      const now = Math.floor(Date.now() / 1000);
      if (!/^\d+$/.test(timestamp) || Math.abs(now - Number(timestamp)) > windowS) {
        return denied(
          context,
          'stale-timestamp',
          `oauth_timestamp is outside the accepted window of ${windowS} s`,
          challenge,
        );
      }
      const signed: Record<string, string> = {};
      for (const [name, value] of Object.entries(params)) {
        if (name !== 'oauth_signature' && name !== 'realm') signed[name] = value;
      }
      // The base string is built from the URL exactly as received: a client that signs one
      // URL and sends another fails here, as it would at a real provider.
      const expected = oauth1Signature(
        oauth1BaseString(request.method, url, signed),
        secret,
        method,
      );
      if (!sameText(expected, params.oauth_signature as string)) {
        // A common client bug, worth naming: request parameters copied into the header, where
        // RFC 5849 §3.5.1 allows only protocol parameters (they then count twice).
        const extra = Object.keys(signed).filter((name) => !name.startsWith('oauth_'));
        const hint =
          extra.length > 0
            ? `; the Authorization header carries non-OAuth parameters (${extra.join(', ')}), which RFC 5849 §3.5.1 does not allow and which are then signed twice`
            : '';
        return denied(context, 'bad-signature', `Invalid OAuth 1.0a signature${hint}`, challenge);
      }
      for (const [key, forgetAt] of nonces) if (forgetAt < now) nonces.delete(key);
      const nonceKey = `${consumerKey}|${timestamp}|${params.oauth_nonce}`;
      if (nonces.has(nonceKey)) {
        return denied(context, 'replayed-nonce', 'oauth_nonce was already used', challenge);
      }
      nonces.set(nonceKey, Number(timestamp) + windowS);
      return { ok: true, outcome: 'ok' };
    },
  };
}

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

function oauthError(status: number, error: string, description: string, headers = {}): Response {
  return jsonResponse(
    status,
    { error, error_description: description },
    { 'Cache-Control': 'no-store', ...headers },
  );
}

interface IssuedToken {
  clientId: string;
  scopes: ReadonlySet<string>;
  expiresAt: number;
}

function oauth2Verifier(options: MockOAuth2Auth): MockAuthVerifier {
  const clients = options.clients;
  if (typeof clients !== 'object' || clients === null || Object.keys(clients).length === 0) {
    throw new ConfigurationError('auth.clients', 'must define at least one client');
  }
  for (const [id, client] of Object.entries(clients)) {
    if (typeof client?.secret !== 'string' || client.secret === '') {
      throw new ConfigurationError(`auth.clients.${id}.secret`, 'must be a non-empty string');
    }
    if (!Array.isArray(client.scopes)) {
      throw new ConfigurationError(`auth.clients.${id}.scopes`, 'must be a list of scopes');
    }
  }
  const tokenPath = options.tokenPath ?? '/oauth2/token';
  if (typeof tokenPath !== 'string' || !tokenPath.startsWith('/')) {
    throw new ConfigurationError('auth.tokenPath', "must be an absolute path starting with '/'");
  }
  const ttlS = options.tokenTtlS ?? 3600;
  if (typeof ttlS !== 'number' || !(ttlS > 0)) {
    throw new ConfigurationError('auth.tokenTtlS', 'must be a number of seconds > 0');
  }
  const tokens = new Map<string, IssuedToken>();
  const challenge = `Bearer realm="${REALM}", error="invalid_token"`;

  const token = async (request: Request, context: RequestContext): Promise<Response> => {
    if (request.method !== 'POST') {
      return oauthError(405, 'invalid_request', 'Use POST', { Allow: 'POST' });
    }
    const type = request.headers.get('content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'Body must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(await request.text());
    let clientId: string | undefined;
    let clientSecret: string | undefined;
    const header = request.headers.get('authorization');
    if (header !== null && /^basic\s/i.test(header)) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) {
        clientId = formDecode(decoded.slice(0, colon));
        clientSecret = formDecode(decoded.slice(colon + 1));
      }
      if (form.has('client_secret')) {
        return oauthError(400, 'invalid_request', 'Use one client authentication method only');
      }
    } else if (form.has('client_id')) {
      clientId = form.get('client_id') ?? undefined;
      clientSecret = form.get('client_secret') ?? undefined;
    }
    const client =
      clientId !== undefined && Object.hasOwn(clients, clientId) ? clients[clientId] : undefined;
    if (!client || clientSecret === undefined || !sameText(client.secret, clientSecret)) {
      return oauthError(401, 'invalid_client', 'Client authentication failed', {
        'WWW-Authenticate': `Basic realm="${REALM}"`,
      });
    }
    const grant = form.get('grant_type');
    if (grant === null) return oauthError(400, 'invalid_request', 'grant_type is required');
    if (grant !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported');
    }
    const allowed = new Set(client.scopes.map(shortScope));
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean).map(shortScope);
    const refused = requested.filter((s) => !allowed.has(s));
    if (refused.length > 0) {
      return oauthError(
        400,
        'invalid_scope',
        `Scope not allowed for this client: ${refused.join(' ')}`,
      );
    }
    const granted = requested.length > 0 ? new Set(requested) : allowed;
    const accessToken = randomBytes(24).toString('base64url');
    tokens.set(accessToken, {
      clientId: clientId as string,
      scopes: granted,
      expiresAt: Date.now() + ttlS * 1000,
    });
    const prefix = SCOPE_PREFIXES[context.version];
    return jsonResponse(
      200,
      {
        access_token: accessToken,
        token_type: 'bearer',
        expires_in: ttlS,
        scope: [...granted].map((s) => (s.includes(':') ? s : `${prefix}${s}`)).join(' '),
      },
      { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    );
  };

  return {
    tokenPath,
    token,
    expireTokens() {
      for (const issued of tokens.values()) issued.expiresAt = 0;
    },
    async verify(request, _url, context) {
      const presented = bearerToken(request);
      if (presented === undefined) {
        return denied(context, 'missing', 'Missing bearer token', `Bearer realm="${REALM}"`);
      }
      const issued = tokens.get(presented);
      if (!issued) return denied(context, 'invalid', 'Unknown access token', challenge);
      if (issued.expiresAt <= Date.now()) {
        tokens.delete(presented);
        return denied(context, 'expired', 'The access token has expired', challenge);
      }
      return { ok: true, outcome: 'ok', scopes: issued.scopes };
    },
    allows(check, route) {
      const scopes = check.scopes;
      return scopes === undefined || route.scopes.some((s) => scopes.has(s));
    },
  };
}

function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  const match = header === null ? null : /^bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function bearerVerifier(options: MockBearerAuth): MockAuthVerifier {
  const tokens = options.tokens;
  if (
    !Array.isArray(tokens) ||
    tokens.length === 0 ||
    tokens.some((t) => typeof t !== 'string' || t === '')
  ) {
    throw new ConfigurationError('auth.tokens', 'must list at least one non-empty token');
  }
  const challenge = `Bearer realm="${REALM}", error="invalid_token"`;
  return {
    ...ALLOW_ALL,
    async verify(request, _url, context) {
      const presented = bearerToken(request);
      if (presented === undefined) {
        return denied(context, 'missing', 'Missing bearer token', `Bearer realm="${REALM}"`);
      }
      if (!tokens.some((t) => sameText(t, presented))) {
        return denied(context, 'invalid', 'Unknown bearer token', challenge);
      }
      return { ok: true, outcome: 'ok' };
    },
  };
}
