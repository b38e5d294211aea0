/**
 * `@smartpass/oneroster/testing`: test your OneRoster integration with no network and no real
 * district. A deterministic district generator, day-N mutations for sync tests, and a faithful
 * mock OneRoster 1.1/1.2 server usable as an injected `fetch`, msw handlers or a real HTTP
 * server. See `docs/testing.md`.
 *
 * msw is an optional peer dependency: only `mock.handlers` needs it.
 *
 * @packageDocumentation
 */

export * from './classlink';
export { RecordCollection, type RecordSource } from './district/collection';
export { createDataset, Dataset, type DatasetRecords } from './district/dataset';
export { generateDistrict } from './district/generate';
export {
  type HardDeletable,
  type IdsByResource,
  type MutateOptions,
  type MutationChanges,
  type MutationResult,
  mutate,
  type Share,
} from './district/mutate';
export type { GenerateDistrictOptions, ResolvedDistrictOptions } from './district/options';
export type { ListenOptions, MockListener } from './mock/adapters';
export type {
  MockAuthOptions,
  MockBearerAuth,
  MockOAuth1Auth,
  MockOAuth2Auth,
} from './mock/auth';
export type { ActiveFault, FaultController, FaultTarget, MockFault } from './mock/faults';
export { type AuthOutcome, RequestLog, type RequestLogEntry } from './mock/log';
export type { PagingHeaders } from './mock/paging';
export { createMockOneRoster, type MockOneRoster, type MockOneRosterOptions } from './mock/server';
export type { Seed } from './random';
export {
  type ContractAssertion,
  runStorageAdapterContract,
  type StorageContractOptions,
} from './storage-contract';
