/**
 * `@smartpass/oneroster/sso`: ClassLink OneClick (OAuth 2 / OpenID Connect) sign-in, and the link
 * from a ClassLink login to the synced roster user. Needs the optional peer dependency
 * `openid-client` (v6).
 *
 * @example
 * ```ts
 * import { createClassLinkSso, findRosterUser } from '@smartpass/oneroster/sso';
 * ```
 *
 * @packageDocumentation
 */
export type {
  ClassLinkIdTokenClaims,
  ClassLinkLogin,
  ClassLinkSso,
  ClassLinkTokens,
  RosterKey,
} from './create-sso';
export { createClassLinkSso } from './create-sso';
export type { SsoErrorInit, SsoErrorReason } from './errors';
export { isSsoError, SsoError } from './errors';
export type {
  FindRosterUserOptions,
  RosterClassMembership,
  RosterMatchMethod,
  RosterUserMatch,
} from './find-roster-user';
export { findRosterUser } from './find-roster-user';
export type {
  AuthorizationRequest,
  AuthorizationUrlOptions,
  ClassLinkEndpoints,
  ClassLinkSsoOptions,
  PendingLogin,
} from './options';
export { CLASSLINK_ENDPOINTS, CLASSLINK_ISSUER } from './options';
export type { ReturnToOptions } from './return-to';
export { resolveReturnTo } from './return-to';
export type { ClassLinkUser, UserInfoIssue, UserInfoParseResult } from './user-info';
export { parseClassLinkUserInfo } from './user-info';
