/**
 * OAuth 2 client credentials: a token endpoint (Basic or body client authentication, grant type,
 * scopes), expiring opaque tokens, and per-endpoint scope checks.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { ConfigurationError } from '../../errors';
import type { MockAuthVerifier, MockOAuth2Auth } from './auth';
import { bearerToken, denied, REALM, sameText } from './auth-common';
import type { RequestContext } from './handle';
import { jsonResponse } from './status-info';
import { SCOPE_PREFIXES, shortScope } from './versions';

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

/** The OAuth 2 verifier and token endpoint; checks its options. */
export function oauth2Verifier(options: MockOAuth2Auth): MockAuthVerifier {
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
