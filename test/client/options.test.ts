import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OneRosterClient } from '../../src/client';
import { ConfigurationError } from '../../src/errors';
import type { ClientOptions } from '../../src/options';
import { captureLogger } from '../resources/fake-transport';

const BASE = 'https://sis.test/ims/oneroster/v1p1';

function configurationError(options: unknown): ConfigurationError {
  try {
    new OneRosterClient(options as ClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).toBe('configuration_error');
    return error as ConfigurationError;
  }
  throw new Error(`expected a ConfigurationError for ${JSON.stringify(options)}`);
}

describe('OneRosterClient options: every invalid option is named', () => {
  it.each<[string, unknown, string]>([
    ['no options', undefined, 'options'],
    ['options not an object', 'https://sis.test', 'options'],
    ['no baseUrl', {}, 'baseUrl'],
    ['empty baseUrl', { baseUrl: '' }, 'baseUrl'],
    ['baseUrl not a string', { baseUrl: 42 }, 'baseUrl'],
    ['baseUrl not a URL', { baseUrl: 'sis.test/ims/oneroster/v1p1' }, 'baseUrl'],
    ['baseUrl not http(s)', { baseUrl: 'ftp://sis.test/ims/oneroster/v1p1' }, 'baseUrl'],
    ['baseUrl with a query', { baseUrl: `${BASE}?district=1` }, 'baseUrl'],
    ['baseUrl with a fragment', { baseUrl: `${BASE}#x` }, 'baseUrl'],
    ['gradebook base URL', { baseUrl: 'https://sis.test/ims/oneroster/gradebook/v1p2' }, 'baseUrl'],
    ['resources base URL', { baseUrl: 'https://sis.test/ims/oneroster/resources/v1p2' }, 'baseUrl'],
    ['no version in baseUrl and none given', { baseUrl: 'https://sis.test/api' }, 'version'],
    ['unknown version', { baseUrl: BASE, version: '1.3' }, 'version'],
    ['version as a number', { baseUrl: BASE, version: 1.1 }, 'version'],
    ['auth not an object', { baseUrl: BASE, auth: 'oauth1' }, 'auth'],
    ['unknown auth type', { baseUrl: BASE, auth: { type: 'kerberos' } }, 'auth.type'],
    [
      'oauth1 without a consumer key',
      { baseUrl: BASE, auth: { type: 'oauth1', consumerSecret: 's' } },
      'auth.consumerKey',
    ],
    [
      'oauth2 with a bad token URL',
      {
        baseUrl: BASE,
        auth: { type: 'oauth2', tokenUrl: 'nope', clientId: 'c', clientSecret: 's' },
      },
      'auth.tokenUrl',
    ],
    ['rateLimit not an object', { baseUrl: BASE, rateLimit: 5 }, 'rateLimit'],
    ['rateLimit true', { baseUrl: BASE, rateLimit: true }, 'rateLimit'],
    [
      'maxConcurrent 0',
      { baseUrl: BASE, rateLimit: { maxConcurrent: 0 } },
      'rateLimit.maxConcurrent',
    ],
    [
      'negative requestsPerSecond',
      { baseUrl: BASE, rateLimit: { requestsPerSecond: -1 } },
      'rateLimit.requestsPerSecond',
    ],
    ['retry not an object', { baseUrl: BASE, retry: 'always' }, 'retry'],
    ['negative retries', { baseUrl: BASE, retry: { retries: -1 } }, 'retry.retries'],
    [
      'maxDelayMs below minDelayMs',
      { baseUrl: BASE, retry: { minDelayMs: 100, maxDelayMs: 10 } },
      'retry.maxDelayMs',
    ],
    ['timeout 0', { baseUrl: BASE, timeout: 0 }, 'timeout'],
    ['negative timeout', { baseUrl: BASE, timeout: -5 }, 'timeout'],
    ['NaN timeout', { baseUrl: BASE, timeout: Number.NaN }, 'timeout'],
    ['infinite timeout', { baseUrl: BASE, timeout: Number.POSITIVE_INFINITY }, 'timeout'],
    ['timeout as a string', { baseUrl: BASE, timeout: '30s' }, 'timeout'],
    ['timeout beyond setTimeout', { baseUrl: BASE, timeout: 2 ** 31 }, 'timeout'],
    ['pageSize 0', { baseUrl: BASE, pageSize: 0 }, 'pageSize'],
    ['negative pageSize', { baseUrl: BASE, pageSize: -100 }, 'pageSize'],
    ['fractional pageSize', { baseUrl: BASE, pageSize: 10.5 }, 'pageSize'],
    ['pageSize as a string', { baseUrl: BASE, pageSize: '100' }, 'pageSize'],
    ['maxPages 0', { baseUrl: BASE, maxPages: 0 }, 'maxPages'],
    ['unknown validation mode', { baseUrl: BASE, validation: 'loose' }, 'validation'],
    ['logger not an object', { baseUrl: BASE, logger: 'console' }, 'logger'],
    ['logger null', { baseUrl: BASE, logger: null }, 'logger'],
    [
      'logger without debug',
      { baseUrl: BASE, logger: { info() {}, warn() {}, error() {} } },
      'logger.debug',
    ],
    ['onEvent not a function', { baseUrl: BASE, onEvent: 'log' }, 'onEvent'],
    ['fetch not a function', { baseUrl: BASE, fetch: {} }, 'fetch'],
    ['headers not an object', { baseUrl: BASE, headers: 'x-a: b' }, 'headers'],
    ['invalid header name', { baseUrl: BASE, headers: { 'x a': 'b' } }, 'headers.x a'],
    [
      'header value with a line break',
      { baseUrl: BASE, headers: { 'x-a': 'b\r\nc: d' } },
      'headers.x-a',
    ],
    ['header value not a string', { baseUrl: BASE, headers: { 'x-a': 1 } }, 'headers.x-a'],
    ['unknown option', { baseUrl: BASE, retries: 3 }, 'retries'],
  ])('%s', (_name, options, option) => {
    const error = configurationError(options);
    expect(error.option).toBe(option);
    expect(error.message).toContain(`\`${option}\``);
  });

  it('suggests the right spelling of a mistyped option', () => {
    expect(configurationError({ baseUrl: BASE, pagesize: 10 }).message).toMatch(
      /did you mean `pageSize`/,
    );
  });

  it('never echoes credentials or secrets', () => {
    const withPassword = configurationError({
      baseUrl: 'https://user:hunter2@sis.test/ims/oneroster/v1p1',
    });
    expect(withPassword.option).toBe('baseUrl');
    expect(withPassword.message).not.toContain('hunter2');
    const badUrl = configurationError({ baseUrl: 'https://user:hunter2@[bad/ims/oneroster/v1p1' });
    expect(badUrl.message).not.toContain('hunter2');
    const noKey = configurationError({
      baseUrl: BASE,
      auth: { type: 'oauth1', consumerKey: '', consumerSecret: 'topsecret' },
    });
    expect(noKey.message).not.toContain('topsecret');
    const header = configurationError({ baseUrl: BASE, headers: { 'x-api-key': 'k3y\n' } });
    expect(header.message).not.toContain('k3y');
  });
});

describe('OneRosterClient version and baseUrl', () => {
  it.each([
    ['https://sis.test/ims/oneroster/v1p1', '1.1', 'https://sis.test/ims/oneroster/v1p1'],
    ['https://sis.test/ims/oneroster/v1p1/', '1.1', 'https://sis.test/ims/oneroster/v1p1'],
    [
      'https://sis.test/ims/oneroster/rostering/v1p2',
      '1.2',
      'https://sis.test/ims/oneroster/rostering/v1p2',
    ],
    [
      'https://sis.test/ims/oneroster/rostering/v1p2//',
      '1.2',
      'https://sis.test/ims/oneroster/rostering/v1p2',
    ],
    [
      'https://oneroster-proxy.classlink.io/app-1/ims/oneroster/v1p1',
      '1.1',
      'https://oneroster-proxy.classlink.io/app-1/ims/oneroster/v1p1',
    ],
    ['http://127.0.0.1:8080/ims/oneroster/v1p1', '1.1', 'http://127.0.0.1:8080/ims/oneroster/v1p1'],
  ])('%s -> %s', (baseUrl, version, normalised) => {
    const client = new OneRosterClient({ baseUrl });
    expect(client.version).toBe(version);
    expect(client.baseUrl).toBe(normalised);
  });

  it('an explicit version wins (ClassLink serves 1.2-format apps under /v1p1)', () => {
    expect(new OneRosterClient({ baseUrl: BASE, version: '1.2' }).version).toBe('1.2');
    expect(new OneRosterClient({ baseUrl: 'https://sis.test/api', version: '1.1' }).version).toBe(
      '1.1',
    );
  });

  it('accepts a URL object', () => {
    expect(new OneRosterClient({ baseUrl: new URL(BASE) as unknown as string }).baseUrl).toBe(BASE);
  });

  it('exposes every resource', () => {
    const client = new OneRosterClient({ baseUrl: BASE });
    for (const name of [
      'orgs',
      'schools',
      'academicSessions',
      'terms',
      'gradingPeriods',
      'courses',
      'classes',
      'users',
      'students',
      'teachers',
      'enrollments',
      'demographics',
    ] as const) {
      expect(typeof client[name].list, name).toBe('function');
      expect(typeof client[name].get, name).toBe('function');
    }
  });

  it('prints without credentials', () => {
    const client = new OneRosterClient({
      baseUrl: BASE,
      auth: { type: 'oauth1', consumerKey: 'key-1234', consumerSecret: 'topsecret' },
    });
    const printed = inspect(client, { depth: 5 });
    expect(printed).toBe(
      "OneRosterClient { version: '1.1', baseUrl: 'https://sis.test/ims/oneroster/v1p1' }",
    );
    expect(JSON.stringify(client)).not.toContain('topsecret');
  });

  it('warns when credentials would travel over plain http to a remote host', () => {
    const logger = captureLogger();
    new OneRosterClient({
      baseUrl: 'http://sis.test/ims/oneroster/v1p1',
      auth: { type: 'bearer', token: 't' },
      logger,
    });
    expect(logger.lines.some((l) => l.level === 'warn' && /plain http/.test(l.msg ?? ''))).toBe(
      true,
    );
    const quiet = captureLogger();
    new OneRosterClient({
      baseUrl: 'http://127.0.0.1/ims/oneroster/v1p1',
      auth: { type: 'bearer', token: 't' },
      logger: quiet,
    });
    expect(quiet.lines).toEqual([]);
  });
});
