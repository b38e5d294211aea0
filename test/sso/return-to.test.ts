import { describe, expect, test } from 'vitest';
import { resolveReturnTo, SsoError } from '../../src/sso';
import { setup } from './fixtures';

const base = 'https://app.example.com/sso/callback';

describe('resolveReturnTo', () => {
  test.each([
    ['/passes', '/passes'],
    ['/passes?tab=mine#top', '/passes?tab=mine#top'],
    ['passes', '/sso/passes'],
    ['https://app.example.com/admin', '/admin'],
    // Same scheme without slashes is relative in browsers too: it stays on our origin.
    ['https:evil.example', '/sso/evil.example'],
    ['', '/'],
    [null, '/'],
    [undefined, '/'],
  ])('%j resolves to %j', (input, expected) => {
    expect(resolveReturnTo(input, { base })).toBe(expected);
  });

  test.each([
    'https://evil.example/',
    '//evil.example/path',
    '/\\evil.example',
    '\\\\evil.example',
    'http:evil.example',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '/pass\ttab',
    '/\n/evil.example',
    'https://user:pw@app.example.com/',
    'http://app.example.com/',
    'https://app.example.com.evil.example/',
  ])('%j is refused', (input) => {
    const run = () => resolveReturnTo(input, { base });
    expect(run).toThrow(SsoError);
    try {
      run();
    } catch (error) {
      expect((error as SsoError).reason).toBe('redirect_not_allowed');
    }
  });

  test('other allowed origins return absolute URLs', () => {
    expect(
      resolveReturnTo('https://admin.example.com/x', {
        base,
        allowedOrigins: ['https://admin.example.com'],
      }),
    ).toBe('https://admin.example.com/x');
  });

  test('a custom fallback', () => {
    expect(resolveReturnTo('', { base, fallback: '/home' })).toBe('/home');
  });
});

describe('sso.authorizationUrl({ returnTo })', () => {
  test('a same-origin target is checked and returned for the session', async () => {
    const { sso } = setup();
    const start = await sso.authorizationUrl({ returnTo: '/passes/new' });
    expect(start.returnTo).toBe('/passes/new');
    // It does not travel to ClassLink.
    expect(start.url).not.toContain('passes');
  });

  test('an outside target is refused before the user is sent to ClassLink', async () => {
    const { mock, sso } = setup();
    await expect(
      sso.authorizationUrl({ returnTo: 'https://evil.example/phish' }),
    ).rejects.toMatchObject({ reason: 'redirect_not_allowed' });
    expect(mock.requests).toHaveLength(0);
  });

  test('allowedReturnOrigins extends the redirect URI origin', async () => {
    const { sso } = setup({ allowedReturnOrigins: ['https://admin.app.mock'] });
    expect(sso.resolveReturnTo('https://admin.app.mock/x')).toBe('https://admin.app.mock/x');
    expect(() => sso.resolveReturnTo('https://other.mock/')).toThrow(SsoError);
  });
});
