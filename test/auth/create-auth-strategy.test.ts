import { describe, expect, it, vi } from 'vitest';
import { createAuthStrategy } from '../../src/auth';
import { ConfigurationError } from '../../src/errors';
import type { AuthOptions, Logger } from '../../src/options';

const deps = { fetch: globalThis.fetch };
const SECRET = 'do-not-leak-0123456789';

function optionError(auth: unknown): ConfigurationError {
  try {
    createAuthStrategy(auth as AuthOptions, deps);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    const configError = error as ConfigurationError;
    expect(configError.code).toBe('configuration_error');
    expect(configError.message).not.toContain(SECRET);
    return configError;
  }
  throw new Error('expected a ConfigurationError');
}

const oauth1 = { type: 'oauth1', consumerKey: 'key', consumerSecret: SECRET };
const oauth2 = {
  type: 'oauth2',
  tokenUrl: 'https://idp.example.test/token',
  clientId: 'cid',
  clientSecret: SECRET,
};

describe('createAuthStrategy', () => {
  it('builds a no-op strategy for undefined auth', async () => {
    const none = createAuthStrategy(undefined, deps);
    expect(none.type).toBe('none');
    expect(await none.authorize({ method: 'GET', url: new URL('https://x.test/') })).toEqual({});
    expect(await none.refresh?.()).toBe(false);
    expect(none.describe()).toBe('no authentication');
    expect(none.secrets()).toEqual([]);
  });

  it('builds each strategy type', () => {
    expect(createAuthStrategy(oauth1 as AuthOptions, deps).type).toBe('oauth1');
    expect(createAuthStrategy(oauth2 as AuthOptions, deps).type).toBe('oauth2');
    expect(createAuthStrategy({ type: 'bearer', token: 't' }, deps).type).toBe('bearer');
  });

  it.each<[string, unknown, string]>([
    ['auth null', null, 'auth'],
    ['auth a string', 'oauth1', 'auth'],
    ['type missing', { consumerKey: 'k' }, 'auth.type'],
    ['type unknown', { type: 'oauth3' }, 'auth.type'],
    ['consumerKey missing', { ...oauth1, consumerKey: undefined }, 'auth.consumerKey'],
    ['consumerKey empty', { ...oauth1, consumerKey: '' }, 'auth.consumerKey'],
    ['consumerKey a number', { ...oauth1, consumerKey: 5 }, 'auth.consumerKey'],
    ['consumerKey padded', { ...oauth1, consumerKey: ' key' }, 'auth.consumerKey'],
    ['consumerSecret missing', { ...oauth1, consumerSecret: undefined }, 'auth.consumerSecret'],
    ['consumerSecret padded', { ...oauth1, consumerSecret: `${SECRET}\n` }, 'auth.consumerSecret'],
    ['signatureMethod unknown', { ...oauth1, signatureMethod: 'RSA-SHA1' }, 'auth.signatureMethod'],
    ['tokenUrl missing', { ...oauth2, tokenUrl: undefined }, 'auth.tokenUrl'],
    ['tokenUrl relative', { ...oauth2, tokenUrl: '/token' }, 'auth.tokenUrl'],
    ['tokenUrl ftp', { ...oauth2, tokenUrl: 'ftp://idp.example.test/token' }, 'auth.tokenUrl'],
    [
      'tokenUrl with credentials',
      { ...oauth2, tokenUrl: `https://cid:${SECRET}@idp.example.test/token` },
      'auth.tokenUrl',
    ],
    ['clientId empty', { ...oauth2, clientId: '' }, 'auth.clientId'],
    ['clientSecret missing', { ...oauth2, clientSecret: undefined }, 'auth.clientSecret'],
    ['scope a number', { ...oauth2, scope: 5 }, 'auth.scope'],
    ['scope list with a number', { ...oauth2, scope: ['a', 5] }, 'auth.scope'],
    [
      'clientAuthentication unknown',
      { ...oauth2, clientAuthentication: 'private_key_jwt' },
      'auth.clientAuthentication',
    ],
    ['bearer token missing', { type: 'bearer' }, 'auth.token'],
    ['bearer token empty', { type: 'bearer', token: '' }, 'auth.token'],
    ['bearer token an object', { type: 'bearer', token: {} }, 'auth.token'],
  ])('rejects %s naming the option', (_name, auth, option) => {
    const error = optionError(auth);
    expect(error.option).toBe(option);
    expect(error.message).toContain(`\`${option}\``);
  });

  it('normalises scope given as a list or with extra spaces', async () => {
    let body = '';
    const fetchSpy: typeof fetch = async (_input, init) => {
      body = String(init?.body);
      return Response.json({ access_token: 'x' });
    };
    const strategy = createAuthStrategy(
      { ...(oauth2 as AuthOptions), scope: ' a   b ' } as AuthOptions,
      { fetch: fetchSpy },
    );
    await strategy.authorize({ method: 'GET', url: new URL('https://x.test/') });
    expect(new URLSearchParams(body).get('scope')).toBe('a b');
  });

  it('warns about a plain-http token URL that is not loopback', () => {
    const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    createAuthStrategy(
      { ...(oauth2 as AuthOptions), tokenUrl: 'http://idp.example.test/t' } as AuthOptions,
      {
        ...deps,
        logger,
      },
    );
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(vi.mocked(logger.warn).mock.calls)).not.toContain(SECRET);
    createAuthStrategy(
      { ...(oauth2 as AuthOptions), tokenUrl: 'http://127.0.0.1:8080/t' } as AuthOptions,
      {
        ...deps,
        logger,
      },
    );
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});
