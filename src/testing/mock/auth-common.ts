/**
 * Pieces shared by the mock's auth verifiers: the 401 answer, constant-time comparison, the
 * bearer header, and the verifier of fixed bearer tokens.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from '../../errors';
import type { MockAuthVerifier, MockBearerAuth } from './auth';
import type { AuthCheck, RequestContext } from './handle';
import type { AuthOutcome } from './log';
import { errorResponse } from './status-info';

/** The realm in `WWW-Authenticate` challenges. */
export const REALM = 'OneRoster';

/** Constant-time string comparison (no timing oracle on secrets and tokens). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A 401 with the version's error body, `unauthorisedrequest` and a challenge. */
export function denied(
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

/** Defaults of verifiers without scopes, token endpoint or runtime controls. */
export const ALLOW_ALL = {
  allows: () => true,
  expireTokens: () => {},
  tokenPath: undefined,
} as const;

/** The token of an `Authorization: Bearer` header (scheme case-insensitive), if any. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  const match = header === null ? null : /^bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The verifier of fixed bearer tokens; checks its options. */
export function bearerVerifier(options: MockBearerAuth): MockAuthVerifier {
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
