/**
 * A mock district on 127.0.0.1 with OAuth 1.0a, and config files pointing at it, for tests
 * that run the CLI against a real HTTP server.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OneRosterVersion } from '../../../src/models/types';
import {
  createMockOneRoster,
  type Dataset,
  generateDistrict,
  type MockListener,
  type MockOneRoster,
} from '../../../src/testing';

/** The environment variable the configs read the secret from. */
export const SECRET_ENV = 'TEST_DISTRICT_SECRET';
const KEY = 'test-consumer';

/** A running mock district and a scratch directory for configs and databases. */
export interface TestDistrict {
  readonly mock: MockOneRoster;
  readonly dataset: Dataset;
  readonly listener: MockListener;
  readonly secret: string;
  /** Scratch directory, removed by `close()`. */
  readonly dir: string;
  /** `{ TEST_DISTRICT_SECRET: secret }` */
  readonly env: Record<string, string>;
  /** Write a config with one tenant per id (SQLite in `dir` unless `storage` is given). */
  writeConfig(options?: {
    name?: string;
    tenants?: Array<Record<string, unknown>>;
    storage?: Record<string, unknown>;
  }): Promise<string>;
  /** A tenant entry for this district. */
  tenant(id: string, extra?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

/** Start a small district (one school) on 127.0.0.1. */
export async function startDistrict(
  options: { version?: OneRosterVersion; dataset?: Dataset } = {},
): Promise<TestDistrict> {
  const secret = `s3cret-${Math.random().toString(36).slice(2)}`;
  const dataset =
    options.dataset ??
    generateDistrict({
      seed: 7,
      schools: 1,
      studentsPerSchool: 30,
      classesPerSchool: 6,
      coursesPerSchool: 3,
    });
  const mock = createMockOneRoster({
    dataset,
    version: options.version ?? '1.1',
    auth: { type: 'oauth1', consumers: { [KEY]: secret } },
  });
  const listener = await mock.listen();
  const dir = await mkdtemp(join(tmpdir(), 'oneroster-cli-test-'));
  const tenant = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    baseUrl: listener.baseUrl,
    auth: { type: 'oauth1', consumerKey: KEY, consumerSecret: { env: SECRET_ENV } },
    // The tests' own runs should not wait on the client's pacing.
    rateLimit: false,
    ...extra,
  });
  let configs = 0;
  return {
    mock,
    dataset,
    listener,
    secret,
    dir,
    env: { [SECRET_ENV]: secret },
    tenant,
    async writeConfig(config = {}) {
      const path = join(dir, config.name ?? `config-${++configs}.json`);
      const body = {
        storage: config.storage ?? { type: 'sqlite', path: './roster.db' },
        tenants: config.tenants ?? [tenant('district-a')],
      };
      await writeFile(path, JSON.stringify(body, null, 2));
      return path;
    },
    async close() {
      await listener.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
