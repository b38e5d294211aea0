import { describe, expect, it } from 'vitest';
import { createAuthStrategy } from '../../src/auth';
import { AbortError, ConfigurationError } from '../../src/errors';

const deps = { fetch: () => Promise.reject(new Error('bearer must not fetch')) };
const url = new URL('https://oneroster-proxy.classlink.io/app/ims/oneroster/v1p1/users');

describe('bearer strategy', () => {
  it('sends a static token on every attempt; refresh() cannot help', async () => {
    const strategy = createAuthStrategy({ type: 'bearer', token: 'static-123' }, deps);
    expect(strategy.type).toBe('bearer');
    expect(await strategy.authorize({ method: 'GET', url })).toEqual({
      Authorization: 'Bearer static-123',
    });
    expect(await strategy.refresh?.()).toBe(false);
    expect(strategy.describe()).toBe('Bearer token (static)');
    expect(strategy.describe()).not.toContain('static-123');
    expect(strategy.secrets()).toEqual(['static-123']);
  });

  it('calls an async function on every attempt and picks up rotated tokens', async () => {
    let calls = 0;
    const strategy = createAuthStrategy(
      {
        type: 'bearer',
        token: async () => {
          calls++;
          return `rotated-${calls}`;
        },
      },
      deps,
    );
    expect(strategy.secrets()).toEqual([]);
    expect(await strategy.authorize({ method: 'GET', url })).toEqual({
      Authorization: 'Bearer rotated-1',
    });
    expect(await strategy.refresh?.()).toBe(true);
    expect(await strategy.authorize({ method: 'GET', url })).toEqual({
      Authorization: 'Bearer rotated-2',
    });
    expect(calls).toBe(2);
    expect(strategy.secrets()).toEqual(['rotated-2']);
    expect(strategy.describe()).toBe('Bearer token (from a function)');
  });

  it('accepts a synchronous function', async () => {
    const strategy = createAuthStrategy({ type: 'bearer', token: () => 'sync' }, deps);
    expect(await strategy.authorize({ method: 'GET', url })).toEqual({
      Authorization: 'Bearer sync',
    });
  });

  it('rejects an empty or non-string token from the function', async () => {
    for (const bad of ['', '  ', undefined, 42]) {
      const strategy = createAuthStrategy(
        { type: 'bearer', token: async () => bad as unknown as string },
        deps,
      );
      const error = await strategy.authorize({ method: 'GET', url }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBe('auth.token');
    }
  });

  it("propagates the function's own error", async () => {
    const failure = new Error('vault unavailable');
    const strategy = createAuthStrategy(
      {
        type: 'bearer',
        token: async () => {
          throw failure;
        },
      },
      deps,
    );
    await expect(strategy.authorize({ method: 'GET', url })).rejects.toBe(failure);
  });

  it('does not call the function for an aborted request', async () => {
    let calls = 0;
    const strategy = createAuthStrategy(
      {
        type: 'bearer',
        token: () => {
          calls++;
          return 't';
        },
      },
      deps,
    );
    const controller = new AbortController();
    controller.abort();
    await expect(
      strategy.authorize({ method: 'GET', url, signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(calls).toBe(0);
  });
});
