/**
 * The mock OneRoster server as `mock-server` and `demo` start it: a generated district of about
 * the size asked for, and credentials the server checks for real.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { OneRosterVersion } from '../models/types';
import type { AuthOptions } from '../options';
import type { GenerateDistrictOptions, MockAuthOptions } from '../testing';

/** The `--auth` values of the mock server. */
export const MOCK_AUTH_TYPES = ['oauth1', 'oauth2', 'bearer', 'none'] as const;
/** One of {@link MOCK_AUTH_TYPES}. */
export type MockAuthType = (typeof MOCK_AUTH_TYPES)[number];

/** Generated-district users per school the sizing aims for (about 1,000 students). */
const USERS_PER_SCHOOL = 1600;
/** Users per student in a generated school: the student, half a guardian, 8 teachers per 100. */
const USERS_PER_STUDENT = 1.58;

/**
 * Generator options for a district of about `users` users (students, guardians, teachers and
 * administrators), split into schools of up to ~1,600 users.
 *
 * @example
 * ```ts
 * generateDistrict({ seed: 1, ...districtForUsers(10_000) }); // 7 schools, ~10,000 users
 * ```
 */
export function districtForUsers(users: number): GenerateDistrictOptions {
  const schools = Math.max(1, Math.ceil(users / USERS_PER_SCHOOL));
  const perSchool = Math.max(0, (users - 1) / schools - 2);
  const studentsPerSchool = Math.max(1, Math.round(perSchool / USERS_PER_STUDENT));
  return {
    schools,
    studentsPerSchool,
    teachersPerSchool: Math.max(1, Math.round(studentsPerSchool * 0.08)),
  };
}

/** Credentials of a mock server: what it accepts, and what a client sends. */
export interface MockCredentials {
  server: MockAuthOptions;
  /** What to give `OneRosterClient`, once the token URL is known for OAuth 2. */
  client: (tokenUrl: string | undefined) => AuthOptions | undefined;
  /** Name and value pairs to print (the mock's secrets are meant to be seen). */
  shown: Array<[string, string]>;
}

/**
 * Fresh random credentials of one auth type.
 *
 * @example
 * ```ts
 * const credentials = mockCredentials('oauth1');
 * const mock = createMockOneRoster({ version: '1.1', auth: credentials.server });
 * ```
 */
export function mockCredentials(type: MockAuthType): MockCredentials {
  const secret = randomBytes(18).toString('base64url');
  switch (type) {
    case 'oauth1':
      return {
        server: { type: 'oauth1', consumers: { 'mock-consumer': secret } },
        client: () => ({ type: 'oauth1', consumerKey: 'mock-consumer', consumerSecret: secret }),
        shown: [
          ['consumer key', 'mock-consumer'],
          ['consumer secret', secret],
        ],
      };
    case 'oauth2':
      return {
        server: {
          type: 'oauth2',
          clients: {
            'mock-client': {
              secret,
              scopes: ['roster.readonly', 'roster-core.readonly', 'roster-demographics.readonly'],
            },
          },
        },
        client: (tokenUrl) => ({
          type: 'oauth2',
          tokenUrl: tokenUrl ?? '',
          clientId: 'mock-client',
          clientSecret: secret,
        }),
        shown: [
          ['client id', 'mock-client'],
          ['client secret', secret],
        ],
      };
    case 'bearer':
      return {
        server: { type: 'bearer', tokens: [secret] },
        client: () => ({ type: 'bearer', token: secret }),
        shown: [['bearer token', secret]],
      };
    case 'none':
      return { server: { type: 'none' }, client: () => undefined, shown: [] };
  }
}

/**
 * The auth a version's servers usually have: OAuth 1.0a for 1.1, OAuth 2 for 1.2.
 *
 * @example
 * ```ts
 * defaultMockAuth('1.2'); // 'oauth2'
 * ```
 */
export function defaultMockAuth(version: OneRosterVersion): MockAuthType {
  return version === '1.1' ? 'oauth1' : 'oauth2';
}
