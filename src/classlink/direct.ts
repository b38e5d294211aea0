/**
 * Direct mode: the district's own Roster Server with OAuth 1.0a HMAC-SHA256, the way ClassLink's
 * sample libraries sign (the client's signer; see `docs/classlink.md` for the comparison).
 *
 * @module
 */
import { OneRosterClient } from '../client';
import { ConfigurationError } from '../errors';
import type { ClientOptions } from '../options';

/** The OneRoster 1.1 root every ClassLink Roster Server serves. */
export const ROSTER_SERVER_V1P1_PATH = '/ims/oneroster/v1p1';

/** Options of {@link createClassLinkDirectClient}: client options plus the district's credentials. */
export interface ClassLinkDirectOptions
  extends Omit<ClientOptions, 'baseUrl' | 'auth' | 'version'> {
  /**
   * The district's Roster Server URL as ClassLink gives it (`endpoint_url`, or the console's
   * "ClassLink Endpoint URL"): the host root (`https://district-tx-v2.oneroster.com`) or its
   * OneRoster root (`…/ims/oneroster/v1p1`). Take it from ClassLink; never construct it.
   */
  endpointUrl: string;
  /** The district's API key (`client_id`). */
  clientId: string;
  /** The district's API secret (`client_secret`). Never logged. */
  clientSecret: string;
  /** @default 'HMAC-SHA256' (what ClassLink's samples use) */
  signatureMethod?: 'HMAC-SHA256' | 'HMAC-SHA1';
}

/**
 * The OneRoster base URL of a Roster Server: the host root gets `/ims/oneroster/v1p1`; a URL
 * that already ends in a OneRoster root is kept (including a 1.2 rostering root, should a
 * district's server offer one).
 *
 * @throws {ConfigurationError} naming `endpointUrl` for anything else.
 *
 * @example
 * ```ts
 * rosterServerBaseUrl('https://certs-nj-v2.oneroster.com/');
 * // 'https://certs-nj-v2.oneroster.com/ims/oneroster/v1p1'
 * ```
 */
export function rosterServerBaseUrl(endpointUrl: string): string {
  let url: URL;
  try {
    url = new URL(endpointUrl);
  } catch {
    throw new ConfigurationError('endpointUrl', 'is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError('endpointUrl', `must use https, got ${url.protocol}`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigurationError(
      'endpointUrl',
      'must not carry a query, fragment or credentials (pass credentials as clientId/clientSecret)',
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '') return `${url.origin}${ROSTER_SERVER_V1P1_PATH}`;
  if (path.endsWith(ROSTER_SERVER_V1P1_PATH) || path.endsWith('/ims/oneroster/rostering/v1p2')) {
    return `${url.origin}${path}`;
  }
  throw new ConfigurationError(
    'endpointUrl',
    `should be the Roster Server host or its ${ROSTER_SERVER_V1P1_PATH} root, got the path ${path}`,
  );
}

/**
 * A client for one district's ClassLink Roster Server, signing every request with OAuth 1.0a
 * HMAC-SHA256 over the exact URL sent.
 *
 * @example
 * ```ts
 * import { createClassLinkDirectClient } from '@smartpass/oneroster';
 *
 * const client = createClassLinkDirectClient({
 *   endpointUrl: 'https://district-tx-v2.oneroster.com',
 *   clientId: process.env.ROSTER_KEY!,
 *   clientSecret: process.env.ROSTER_SECRET!,
 * });
 * const students = await client.students.list().toArray();
 * ```
 */
export function createClassLinkDirectClient(options: ClassLinkDirectOptions): OneRosterClient {
  const { endpointUrl, clientId, clientSecret, signatureMethod, ...clientOptions } = options;
  return new OneRosterClient({
    ...clientOptions,
    baseUrl: rosterServerBaseUrl(endpointUrl),
    auth: {
      type: 'oauth1',
      consumerKey: clientId,
      consumerSecret: clientSecret,
      signatureMethod: signatureMethod ?? 'HMAC-SHA256',
    },
  });
}
