/**
 * OAuth 1.0a verification (RFC 5849): the signature over the URL as received, with the same
 * primitives the client signs with, the consumer key, the method, the timestamp window and nonce
 * replay.
 *
 * @module
 */
import {
  type OAuth1SignatureMethod,
  oauth1BaseString,
  oauth1Signature,
  parseOAuthAuthorizationHeader,
} from '../../auth/oauth1-signature';
import { ConfigurationError } from '../../errors';
import type { MockAuthVerifier, MockOAuth1Auth } from './auth';
import { ALLOW_ALL, denied, REALM, sameText } from './auth-common';

/** The OAuth 1.0a verifier; checks its options. */
export function oauth1Verifier(options: MockOAuth1Auth): MockAuthVerifier {
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
