/**
 * Proxy mode: `https://oneroster-proxy.classlink.io/{applicationId}/ims/oneroster/v1p1/...` with
 * a per-district bearer; ClassLink signs to the district's server on the partner's behalf.
 *
 * @module
 */
import { OneRosterClient } from '../client';
import { ConfigurationError } from '../errors';
import type { ClientOptions } from '../options';
import { ROSTER_SERVER_V1P1_PATH } from './direct';

/** ClassLink's OneRoster proxy (also the host of `/applications`). */
export const CLASSLINK_PROXY_BASE_URL = 'https://oneroster-proxy.classlink.io';

/** Options of {@link createClassLinkProxyClient}. */
export interface ClassLinkProxyOptions extends Omit<ClientOptions, 'baseUrl' | 'auth' | 'version'> {
  /**
   * `oneroster_application_id` exactly as `/applications` returns it. It arrives
   * percent-encoded (`MoYP%2Fly%3D`) and is used verbatim: decoding or re-encoding it
   * (`%252F`) makes the proxy fail.
   */
  applicationId: string;
  /** The district's proxy bearer, or a function returning the current one. Never logged. */
  bearer: string | (() => string | Promise<string>);
  /** @default 'https://oneroster-proxy.classlink.io' */
  proxyBaseUrl?: string;
}

/**
 * Check an application id for the proxy path. It must be one path segment: `/`, `?`, `#`,
 * whitespace and malformed `%` escapes are refused, and so is `%25xx`, the mark of an id encoded
 * twice (ClassLink's ids are base64, which has no `%` of its own).
 *
 * @throws {ConfigurationError} naming `applicationId`; the id itself is not echoed.
 *
 * @example
 * ```ts
 * checkApplicationId('MoYP%2Fly%3D'); // returned as is
 * checkApplicationId('MoYP%252Fly%253D'); // throws: encoded twice
 * ```
 */
export function checkApplicationId(applicationId: unknown): string {
  if (typeof applicationId !== 'string' || applicationId.trim() === '') {
    throw new ConfigurationError('applicationId', 'must be a non-empty string');
  }
  if (/[/?#\s]/.test(applicationId)) {
    throw new ConfigurationError(
      'applicationId',
      'must be one path segment: use oneroster_application_id exactly as ClassLink returns it (with %2F, not /)',
    );
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(applicationId)) {
    throw new ConfigurationError('applicationId', 'contains a malformed percent-escape');
  }
  if (/%25[0-9A-Fa-f]{2}/.test(applicationId)) {
    throw new ConfigurationError(
      'applicationId',
      'looks percent-encoded twice (%25..): pass oneroster_application_id verbatim, without encoding it again',
    );
  }
  return applicationId;
}

/**
 * The OneRoster base URL of a district behind the proxy.
 *
 * @example
 * ```ts
 * classLinkProxyBaseUrl('MoYP%2Fly%3D');
 * // 'https://oneroster-proxy.classlink.io/MoYP%2Fly%3D/ims/oneroster/v1p1'
 * ```
 */
export function classLinkProxyBaseUrl(
  applicationId: string,
  proxyBaseUrl: string = CLASSLINK_PROXY_BASE_URL,
): string {
  const id = checkApplicationId(applicationId);
  let root: URL;
  try {
    root = new URL(proxyBaseUrl);
  } catch {
    throw new ConfigurationError('proxyBaseUrl', 'is not an absolute URL');
  }
  // String concatenation, not URL path setters: those are where `%2F` gets mangled.
  return `${root.origin}${root.pathname.replace(/\/+$/, '')}/${id}${ROSTER_SERVER_V1P1_PATH}`;
}

/**
 * A client for one district through ClassLink's OneRoster proxy.
 *
 * @example
 * ```ts
 * import { createClassLinkProxyClient } from '@smartpass/oneroster';
 *
 * const client = createClassLinkProxyClient({
 *   applicationId: tenant.applicationId, // verbatim, e.g. 'MoYP%2Fly%3D'
 *   bearer: tenant.bearer,
 * });
 * for await (const school of client.schools.list()) console.log(school.name);
 * ```
 */
export function createClassLinkProxyClient(options: ClassLinkProxyOptions): OneRosterClient {
  const { applicationId, bearer, proxyBaseUrl, ...clientOptions } = options;
  if (typeof bearer !== 'function' && (typeof bearer !== 'string' || bearer.trim() === '')) {
    throw new ConfigurationError('bearer', 'must be a non-empty string or a function');
  }
  return new OneRosterClient({
    ...clientOptions,
    baseUrl: classLinkProxyBaseUrl(applicationId, proxyBaseUrl),
    auth: { type: 'bearer', token: bearer },
  });
}
