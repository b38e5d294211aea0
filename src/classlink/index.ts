/**
 * ClassLink Roster Server access: direct mode (OAuth 1.0a to the district's server), proxy mode
 * (ClassLink's OneRoster proxy with a per-district bearer) and tenant discovery. Exported from
 * the main entry; needs nothing beyond the client's own dependencies.
 *
 * @module
 */
export {
  type ClassLinkDirectOptions,
  createClassLinkDirectClient,
  ROSTER_SERVER_V1P1_PATH,
  rosterServerBaseUrl,
} from './direct';
export type { PartnerApiOptions } from './partner-api';
export {
  CLASSLINK_PROXY_BASE_URL,
  type ClassLinkProxyOptions,
  checkApplicationId,
  classLinkProxyBaseUrl,
  createClassLinkProxyClient,
} from './proxy';
export {
  type ClassLinkDirectCredentials,
  directClientForTenant,
  type GetDirectCredentialsOptions,
  getDirectCredentials,
} from './server-credentials';
export {
  type ClassLinkTenant,
  type ClientForTenantOptions,
  clientForTenant,
  type ListClassLinkTenantsOptions,
  listClassLinkTenants,
  parseClassLinkTenant,
} from './tenants';
