/**
 * `--mock`: districts served by the testing kit's mock OneRoster server on 127.0.0.1, each
 * with its own OAuth 1.0a credentials, so that an example runs end to end with one command and
 * no network.
 */
import { randomBytes } from 'node:crypto';
import {
  createMockOneRoster,
  generateDistrict,
  type MockOneRoster,
} from '@smartpass/oneroster/testing';
import type { Tenant } from './tenants';

/** Mock districts and the tenants that reach them. */
export interface MockDistricts {
  tenants: Tenant[];
  /** The servers, by tenant id (tests change their data with `mutate`). */
  mocks: Map<string, MockOneRoster>;
  close(): Promise<void>;
}

/** Start `count` small generated districts (`district-1`, `district-2`, …). */
export async function startMockDistricts(count = 2): Promise<MockDistricts> {
  const tenants: Tenant[] = [];
  const mocks = new Map<string, MockOneRoster>();
  const closers: Array<() => Promise<void>> = [];
  for (let i = 1; i <= count; i++) {
    const id = `district-${i}`;
    const secret = randomBytes(16).toString('hex');
    const mock = createMockOneRoster({
      dataset: generateDistrict({ seed: i, schools: 2, studentsPerSchool: 60 }),
      version: '1.1',
      auth: { type: 'oauth1', consumers: { [`${id}-key`]: secret } },
    });
    const listener = await mock.listen();
    closers.push(listener.close);
    mocks.set(id, mock);
    tenants.push({
      id,
      client: {
        baseUrl: listener.baseUrl,
        auth: { type: 'oauth1', consumerKey: `${id}-key`, consumerSecret: secret },
      },
    });
  }
  return {
    tenants,
    mocks,
    close: async () => {
      await Promise.all(closers.map((close) => close()));
    },
  };
}
