/**
 * The mock ClassLink of `@smartpass/oneroster/testing`.
 *
 * @module
 */
export { classLinkUsersFromRoster } from './from-roster';
export type {
  MockClassLink,
  MockClassLinkEndpoints,
  MockClassLinkRequest,
  MockClassLinkTenantInfo,
} from './mock-classlink';
export { createMockClassLink } from './mock-classlink';
export type { PublicJwk, SignMode } from './signing-keys';
export type {
  MockClassLinkClient,
  MockClassLinkOptions,
  MockClassLinkQuirks,
  MockClassLinkRoute,
  MockClassLinkTenant,
  MockClassLinkUser,
  MockFailure,
  MockRosterUpstream,
} from './types';
