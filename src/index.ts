/**
 * `@smartpass/oneroster`: a typed OneRoster 1.1/1.2 client with paging, rate limiting and retry.
 *
 * Subpaths: `./sync`, `./storage/memory`, `./storage/sqlite`, `./storage/postgres`, `./sso`,
 * `./testing`. Nothing here imports msw, a database driver or the OIDC library.
 *
 * @packageDocumentation
 */
export * from './classlink';
export { OneRosterClient } from './client';
export * from './errors';
export * from './models';
export type * from './options';
export { Page, type PagesOptions, Paginator, type ToArrayOptions } from './pagination';
export {
  type Filter,
  type FilterLogic,
  type FilterOperator,
  type FilterValue,
  filter,
  type GetParams,
  isFilter,
  type ListParams,
} from './query';
export {
  AcademicSessionsResource,
  ClassesResource,
  CollectionResource,
  CoursesResource,
  DemographicsResource,
  EnrollmentsResource,
  GradingPeriodsResource,
  OrgsResource,
  type Projected,
  type Resources,
  SchoolsResource,
  type Selected,
  StudentsResource,
  TeachersResource,
  TermsResource,
  UsersResource,
} from './resources';
