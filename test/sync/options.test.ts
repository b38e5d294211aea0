import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { MemoryStorage } from '../../src/storage/memory';
import { createSync, type SyncOptions } from '../../src/sync';
import { createFakeClient, district } from './fake-client';

const base = (): SyncOptions => ({
  client: createFakeClient(district(1, 1)),
  storage: new MemoryStorage(),
  tenantId: 't',
});

function optionError(options: unknown): ConfigurationError {
  try {
    createSync(options as SyncOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('createSync options', () => {
  it.each([
    ['client', { client: {} }, /no orgs\.list\(\)/],
    ['client', { client: null }, /must be a OneRosterClient, got null/],
    ['storage', { storage: { kind: 'x' } }, /must be a StorageAdapter/],
    ['tenantId', { tenantId: ' ' }, /non-empty string/],
    ['resources', { resources: ['users', 'pets'] }, /unknown resource "pets"/],
    ['resources', { resources: [] }, /at least one/],
    ['schools', { schools: [] }, /non-empty array/],
    ['schools[1]', { schools: ['s1', ''] }, /non-empty string/],
    ['shrinkGuard.maxDeleteShare', { shrinkGuard: { maxDeleteShare: 1.5 } }, /from 0 to 1/],
    ['shrinkGuard.minRecords', { shrinkGuard: { minRecords: -1 } }, /integer >= 0/],
    ['shrinkGuard.share', { shrinkGuard: { share: 1 } }, /unknown option/],
    ['shrinkGuard', { shrinkGuard: true }, /object or false/],
    ['batchSize', { batchSize: 0 }, /integer >= 1/],
    ['lookbackMs', { lookbackMs: -5 }, /integer >= 0/],
    ['clockSkewMs', { clockSkewMs: 1.5 }, /integer >= 0/],
    ['validation', { validation: 'loose' }, /'strict', 'lenient' or 'off'/],
    ['optionalResources', { optionalResources: 'demographics' }, /array of resources/],
    ['onEvent', { onEvent: 'log' }, /must be a function/],
    ['sortBySourcedId', { sortBySourcedId: 'yes' }, /must be a boolean/],
    ['fullSyncEvery.runs', { fullSyncEvery: { runs: 0 } }, /integer >= 1/],
    ['fullSyncEvery.days', { fullSyncEvery: { days: -1 } }, /positive number/],
    ['fullSyncEvery.weeks', { fullSyncEvery: { weeks: 1 } }, /unknown option/],
    ['now', { now: Date.now() }, /must be a function/],
    ['logger', { logger: console.log }, /debug, info, warn and error/],
    ['lookback', { lookback: 5 }, /unknown option/],
  ])('names %s', (option, patch, message) => {
    const error = optionError({ ...base(), ...patch });
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
  });

  it('rejects a missing options object and a client without nested school lists when scoped', () => {
    expect(optionError(undefined).option).toBe('options');
    const client = createFakeClient(district(1, 1));
    const partial = { ...client, schools: { listClasses: client.schools.listClasses } };
    const error = optionError({ ...base(), client: partial, schools: ['s1'] });
    expect(error.message).toMatch(/schools\.listCourses\(\)/);
  });

  it('accepts a full set of valid options', () => {
    const sync = createSync({
      ...base(),
      resources: ['users', 'orgs'],
      schools: ['school-1', 'school-1'],
      shrinkGuard: { maxDeleteShare: 0.2 },
      batchSize: 10,
      lookbackMs: 0,
      clockSkewMs: 0,
      validation: 'strict',
      sortBySourcedId: false,
      optionalResources: [],
      onEvent: () => {},
      fullSyncEvery: { days: 0.5 },
      now: () => new Date(),
      logger: console,
    });
    expect(sync.tenantId).toBe('t');
  });
});

describe('run options', () => {
  it.each([
    ['mode', { mode: 'delta' }, /'full', 'incremental' or 'auto'/],
    ['force', { force: 'yes' }, /must be a boolean/],
    ['dryRun', { dryRun: 1 }, /must be a boolean/],
    ['signal', { signal: {} }, /AbortSignal/],
    ['when', { when: 'now' }, /unknown option/],
  ])('names %s', async (option, options, message) => {
    const sync = createSync(base());
    const error = await sync.run(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe(option);
    expect((error as Error).message).toMatch(message);
  });
});
