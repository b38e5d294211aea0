/**
 * Credential checks of the mock server, done for real: OAuth 1.0a signatures are verified over
 * the URL as received (RFC 5849, with the same primitives the client signs with), OAuth 2
 * client-credentials tokens are issued by a token endpoint, expire and carry scopes, and static
 * bearer tokens are compared. Failures answer 401 (403 for a missing scope) with the version's
 * error body.
 *
 * @module
 */
import type { OAuth1SignatureMethod } from '../../auth/oauth1-signature';
import { ConfigurationError } from '../../errors';
import { ALLOW_ALL, bearerVerifier } from './auth-common';
import type { AuthVerifier } from './handle';
import { oauth1Verifier } from './oauth1-verifier';
import { oauth2Verifier } from './oauth2-verifier';

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
