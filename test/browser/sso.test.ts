/**
 * A real browser clicks through the example app (`examples/sso-server.ts`) against the mock
 * ClassLink: an SP-initiated login, a LaunchPad launch, a refusal and an open-redirect attempt.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium`). Outside CI the
 * suite is skipped with a notice when it is missing; under CI=true it must run.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Demo, startDemo } from '../../examples/sso-server';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const skip = !existsSync(CHROMIUM) && process.env.CI !== 'true';
if (skip) {
  console.warn(
    `[test/browser] SKIPPED: ${CHROMIUM} not found. Install it with \`apt-get install -y chromium\`.`,
  );
}

describe.skipIf(skip)('SSO example in Chromium', { timeout: 60_000 }, () => {
  let browser: Browser;
  let demo: Demo;

  beforeAll(async () => {
    demo = await startDemo({ port: 0, mockPort: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 45_000 });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return page;
  }

  async function signInAtClassLink(page: Page, loginId: string): Promise<void> {
    await page.locator('#username').fill(loginId);
    await page.locator('#password').fill('any password');
    await page.locator('#login-form #sign-in').click();
  }

  test('SP-initiated login lands on the signed-in page with the roster user', async () => {
    const page = await newPage();
    await page.goto(demo.appUrl);
    await page.locator('#sign-in').click();
    // At the (mock) ClassLink login form.
    await page.waitForURL((url) => url.origin === demo.mock.baseUrl);
    await signInAtClassLink(page, demo.logins.teacher);
    await page.waitForURL(`${demo.appUrl}/me`);
    await expect(page.locator('#signed-in').textContent()).resolves.toMatch(/^Signed in as \S/);
    await expect(page.locator('#role').textContent()).resolves.toBe('teacher');
    await expect(page.locator('#matched-by').textContent()).resolves.toBe('sourcedId');
    await expect(page.locator('#initiated-by').textContent()).resolves.toBe('SmartPass sign-in');
    expect(await page.locator('#classes li').count()).toBeGreaterThan(0);

    const cookies = await page.context().cookies(demo.appUrl);
    const session = cookies.find((c) => c.name === 'sso_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // The pending login cookie is gone after the callback.
    expect(cookies.some((c) => c.name === 'sso_pending')).toBe(false);

    await page.locator('#sign-out').click();
    await page.waitForURL(`${demo.appUrl}/`);
    await expect(page.locator('#sign-in').isVisible()).resolves.toBe(true);
    await page.context().close();
  });

  test('a LaunchPad tile click signs the user in (IdP-initiated)', async () => {
    const page = await newPage();
    await page.goto(demo.mock.endpoints.launchpad);
    await signInAtClassLink(page, demo.logins.student);
    await page.locator('#app-smartpass-demo').click();
    await page.waitForURL(`${demo.appUrl}/me`);
    await expect(page.locator('#initiated-by').textContent()).resolves.toBe('LaunchPad');
    await expect(page.locator('#role').textContent()).resolves.toBe('student');
    await page.context().close();
  });

  test('cancelling at ClassLink shows access_denied', async () => {
    const page = await newPage();
    await page.goto(`${demo.appUrl}/login`);
    await page.waitForURL((url) => url.origin === demo.mock.baseUrl);
    await page.locator('#deny').click();
    await page.waitForURL((url) => url.pathname === '/callback');
    await expect(page.locator('#reason').textContent()).resolves.toBe('access_denied');
    await page.context().close();
  });

  test('a returnTo outside the app is refused before leaving for ClassLink', async () => {
    const page = await newPage();
    const response = await page.goto(
      `${demo.appUrl}/login?returnTo=${encodeURIComponent('https://evil.example/phish')}`,
    );
    expect(response?.status()).toBe(400);
    expect(new URL(page.url()).origin).toBe(demo.appUrl);
    await expect(page.locator('#reason').textContent()).resolves.toBe('redirect_not_allowed');
    await page.context().close();
  });
});
