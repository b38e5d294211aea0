/**
 * Validation of `auth` options. Every failure names the option; no message ever contains a
 * secret or key value.
 *
 * @module
 */
import { ConfigurationError } from '../errors';
import type { AuthOptions, BearerAuth, OAuth1Auth, OAuth2Auth } from '../options';

type Untrusted = Record<string, unknown>;

/** A required credential string: non-empty, and without surrounding whitespace (a paste error). */
export function requireCredential(options: Untrusted, key: string): string {
  const value = options[key];
  const option = `auth.${key}`;
  if (value === undefined || value === null) throw new ConfigurationError(option, 'is required');
  if (typeof value !== 'string') {
    throw new ConfigurationError(option, `must be a string, got ${typeof value}`);
  }
  if (value === '') throw new ConfigurationError(option, 'must not be empty');
  if (value.trim() !== value) {
    throw new ConfigurationError(
      option,
      'has leading or trailing whitespace; this is almost always a copy-paste mistake',
    );
  }
  return value;
}

function validateOAuth1(options: Untrusted): OAuth1Auth {
  const signatureMethod = options.signatureMethod ?? 'HMAC-SHA256';
  if (signatureMethod !== 'HMAC-SHA256' && signatureMethod !== 'HMAC-SHA1') {
    throw new ConfigurationError(
      'auth.signatureMethod',
      `must be 'HMAC-SHA256' or 'HMAC-SHA1', got ${JSON.stringify(String(signatureMethod))}`,
    );
  }
  return {
    type: 'oauth1',
    consumerKey: requireCredential(options, 'consumerKey'),
    consumerSecret: requireCredential(options, 'consumerSecret'),
    signatureMethod,
  };
}

function validateTokenUrl(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigurationError('auth.tokenUrl', 'is required: the OAuth 2 token endpoint URL');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError('auth.tokenUrl', 'is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(
      'auth.tokenUrl',
      `must be an https or http URL, got ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    throw new ConfigurationError(
      'auth.tokenUrl',
      'must not contain credentials; use auth.clientId and auth.clientSecret',
    );
  }
  return url.href;
}

function validateScope(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? value.split(' ') : value;
  if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) {
    throw new ConfigurationError(
      'auth.scope',
      'must be a space-separated string or a list of strings',
    );
  }
  const scopes = (list as string[]).flatMap((s) => s.split(' ')).filter((s) => s !== '');
  return scopes.length === 0 ? undefined : scopes.join(' ');
}

function validateOAuth2(options: Untrusted): OAuth2Auth {
  const clientAuthentication = options.clientAuthentication ?? 'basic';
  if (clientAuthentication !== 'basic' && clientAuthentication !== 'body') {
    throw new ConfigurationError(
      'auth.clientAuthentication',
      `must be 'basic' or 'body', got ${JSON.stringify(String(clientAuthentication))}`,
    );
  }
  const tokenUrl = validateTokenUrl(options.tokenUrl);
  const scope = validateScope(options.scope);
  return {
    type: 'oauth2',
    tokenUrl,
    clientId: requireCredential(options, 'clientId'),
    clientSecret: requireCredential(options, 'clientSecret'),
    clientAuthentication,
    ...(scope === undefined ? {} : { scope }),
  };
}

function validateBearer(options: Untrusted): BearerAuth {
  const token = options.token;
  if (typeof token === 'function') return { type: 'bearer', token: token as BearerAuth['token'] };
  return { type: 'bearer', token: requireCredential(options, 'token') };
}

/**
 * Check `auth` options and return them normalised (defaults filled, scope joined with spaces,
 * token URL canonicalised).
 *
 * @throws {ConfigurationError} naming the offending option, e.g. `auth.type`, `auth.consumerKey`.
 *
 * @example
 * ```ts
 * validateAuthOptions({ type: 'oauth1', consumerKey: 'k', consumerSecret: 's' });
 * // { type: 'oauth1', consumerKey: 'k', consumerSecret: 's', signatureMethod: 'HMAC-SHA256' }
 * ```
 */
export function validateAuthOptions(auth: unknown): AuthOptions {
  if (typeof auth !== 'object' || auth === null || Array.isArray(auth)) {
    throw new ConfigurationError('auth', 'must be an object with a `type`');
  }
  const options = auth as Untrusted;
  switch (options.type) {
    case 'oauth1':
      return validateOAuth1(options);
    case 'oauth2':
      return validateOAuth2(options);
    case 'bearer':
      return validateBearer(options);
    default:
      throw new ConfigurationError(
        'auth.type',
        `must be 'oauth1', 'oauth2' or 'bearer', got ${options.type === undefined ? 'nothing' : JSON.stringify(String(options.type))}`,
      );
  }
}
