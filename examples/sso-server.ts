/**
 * ClassLink OneClick sign-in for a web app, with Hono.
 *
 * Routes:
 * - `GET /login?returnTo=/me`: starts an SP-initiated login; state, nonce and the PKCE verifier
 *   go into a signed, HttpOnly, SameSite=Lax cookie for the ten minutes the login may take.
 * - `GET /callback`: the registered redirect URI. Finishes SP-initiated logins and LaunchPad
 *   (IdP-initiated) launches, links the person to the synced roster, starts the session.
 * - `GET /me`: the signed-in page (roster role, schools, classes).
 * - `POST /logout`.
 *
 * Run it against the mock ClassLink, with a generated district synced through the mock's
 * OneRoster proxy:
 *
 *     npx tsx examples/sso-server.ts --mock
 *
 * Against ClassLink: set CLASSLINK_CLIENT_ID, CLASSLINK_CLIENT_SECRET, CLASSLINK_REDIRECT_URI,
 * SESSION_SECRET (and fill the storage with a sync first), then run without `--mock`.
 *
 * Cookies here are signed, not encrypted: the pending login (state, nonce, verifier) is visible
 * to the user's own browser, which is fine for these values; keep tokens out of cookies (this
 * example never stores them) or use an encrypted/server-side session store.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { type ServerType, serve } from '@hono/node-server';
import { clientForTenant, listClassLinkTenants } from '@smartpass/oneroster';
import {
  type ClassLinkSso,
  createClassLinkSso,
  type FindRosterUserOptions,
  findRosterUser,
  isSsoError,
  type PendingLogin,
  type RosterKey,
} from '@smartpass/oneroster/sso';
import { MemoryStorage } from '@smartpass/oneroster/storage/memory';
import type { StorageAdapter } from '@smartpass/oneroster/sync';
import { createSync } from '@smartpass/oneroster/sync';
import {
  classLinkUsersFromRoster,
  createMockClassLink,
  createMockOneRoster,
  generateDistrict,
  type MockClassLink,
} from '@smartpass/oneroster/testing';
import { type Context, Hono } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { html } from 'hono/html';

/** What the app needs. */
export interface SsoAppOptions {
  sso: ClassLinkSso;
  /** Where the synced roster lives (read with `findRosterUser`). */
  storage: Pick<StorageAdapter, 'get' | 'list'>;
  /** Signs the cookies; at least 32 random characters. */
  sessionSecret: string;
  /** How to match people to roster users. */
  rosterMatch?: FindRosterUserOptions;
}

/** The pending login kept between `/login` and `/callback`. */
interface PendingCookie extends PendingLogin {
  returnTo: string;
}

/** The session: identifiers only, never tokens. */
interface Session {
  rosterKey: RosterKey;
  name: string;
  initiatedBy: 'sp' | 'idp';
}

const PENDING = 'sso_pending';
const SESSION = 'sso_session';

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode<T>(value: string | false | undefined): T | undefined {
  // `false` is a cookie whose signature does not verify: treat it as absent.
  if (!value) return undefined;
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

const layout = (title: string, body: unknown) => html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title></head>
<body>${body}</body>
</html>`;

/**
 * The example app. Exported so the browser test drives exactly this code.
 *
 * @example
 * ```ts
 * const app = createSsoApp({ sso, storage, sessionSecret: process.env.SESSION_SECRET! });
 * serve({ fetch: app.fetch, port: 3000 });
 * ```
 */
export function createSsoApp(options: SsoAppOptions): Hono {
  const { sso, storage, sessionSecret } = options;
  if (sessionSecret.length < 32) throw new Error('sessionSecret must be at least 32 characters');
  const secure = new URL(sso.redirectUri).protocol === 'https:';
  const cookie = (maxAge: number) =>
    ({ httpOnly: true, sameSite: 'Lax', secure, path: '/', maxAge }) as const;
  const app = new Hono();

  const readSession = async (c: Context) =>
    decode<Session>(await getSignedCookie(c, sessionSecret, SESSION));

  const failure = (c: Context, status: 400 | 403 | 502, reason: string) =>
    c.html(
      layout(
        'Sign-in failed',
        html`<h1 id="sign-in-failed">Sign-in failed</h1>
          <p>Reason: <code id="reason">${reason}</code></p>
          <p><a href="/login">Try again</a></p>`,
      ),
      status,
    );

  app.get('/', async (c) => {
    if (await readSession(c)) return c.redirect('/me');
    return c.html(
      layout(
        'SmartPass',
        html`<h1>SmartPass</h1><p><a id="sign-in" href="/login?returnTo=/me">Sign in with ClassLink</a></p>`,
      ),
    );
  });

  app.get('/login', async (c) => {
    let start: Awaited<ReturnType<ClassLinkSso['authorizationUrl']>>;
    try {
      start = await sso.authorizationUrl({ returnTo: c.req.query('returnTo') ?? '/me' });
    } catch (error) {
      if (isSsoError(error)) return failure(c, 400, error.reason);
      throw error;
    }
    const pending: PendingCookie = {
      state: start.state,
      nonce: start.nonce,
      codeVerifier: start.codeVerifier,
      returnTo: start.returnTo ?? '/me',
    };
    await setSignedCookie(c, PENDING, encode(pending), sessionSecret, cookie(600));
    return c.redirect(start.url);
  });

  app.get('/callback', async (c) => {
    const pending = decode<PendingCookie>(await getSignedCookie(c, sessionSecret, PENDING));
    // One use only, whatever happens next.
    deleteCookie(c, PENDING, { path: '/' });
    let login: Awaited<ReturnType<ClassLinkSso['handleCallback']>>;
    try {
      login = await sso.handleCallback(c.req.url, pending);
    } catch (error) {
      if (!isSsoError(error)) throw error;
      return failure(
        c,
        error.reason === 'access_denied' ? 403 : error.retryable ? 502 : 400,
        error.reason,
      );
    }
    const name =
      login.user?.displayName ??
      [login.user?.firstName, login.user?.lastName].filter(Boolean).join(' ');
    const session: Session = { rosterKey: login.rosterKey, name, initiatedBy: login.initiatedBy };
    await setSignedCookie(c, SESSION, encode(session), sessionSecret, cookie(8 * 3600));
    // A LaunchPad launch has no pending login and so no returnTo.
    const target = login.initiatedBy === 'sp' && pending ? pending.returnTo : '/me';
    return c.redirect(sso.resolveReturnTo(target));
  });

  app.get('/me', async (c) => {
    const session = await readSession(c);
    if (!session) return c.redirect('/login?returnTo=/me');
    const match = await findRosterUser(storage, session.rosterKey, options.rosterMatch);
    const roster = match
      ? html`<dl>
          <dt>Role</dt><dd id="role">${match.primaryRole ?? 'unknown'}</dd>
          <dt>Matched by</dt><dd id="matched-by">${match.matchedBy}</dd>
          <dt>Schools</dt><dd id="schools">${match.schools.map((s) => s.name).join(', ')}</dd>
        </dl>
        <h2>Classes</h2>
        <ul id="classes">${match.classes.map((m) => html`<li>${m.class.title} (${m.role})</li>`)}</ul>`
      : html`<p id="not-in-roster">You are signed in, but your district's roster has no record
          of you yet. Ask your district to share your account with SmartPass.</p>`;
    return c.html(
      layout(
        'SmartPass',
        html`<h1 id="signed-in">Signed in as ${session.name}</h1>
          <p>District <span id="tenant">${session.rosterKey.tenantId}</span>, via
            <span id="initiated-by">${session.initiatedBy === 'idp' ? 'LaunchPad' : 'SmartPass sign-in'}</span></p>
          ${roster}
          <form method="post" action="/logout"><button id="sign-out" type="submit">Sign out</button></form>`,
      ),
    );
  });

  app.post('/logout', (c) => {
    deleteCookie(c, SESSION, { path: '/' });
    return c.redirect('/');
  });

  return app;
}

/** A running demo: the app, the mock ClassLink and the roster behind it. */
export interface Demo {
  appUrl: string;
  mock: MockClassLink;
  /** Login names of some demo users: a student, a teacher, an administrator. */
  logins: { student: string; teacher: string; admin: string };
  close(): Promise<void>;
}

/**
 * Start the example against mocks: a generated district behind a mock OneRoster server, a mock
 * ClassLink whose accounts are that district's users and whose proxy serves it, a sync of the
 * district through the proxy (tenant discovery, proxy client, sync engine), and the app.
 */
export async function startDemo(options: { port?: number; mockPort?: number } = {}): Promise<Demo> {
  const dataset = generateDistrict({
    seed: 7,
    schools: 2,
    studentsPerSchool: 20,
    teachersPerSchool: 3,
    classesPerSchool: 6,
    coursesPerSchool: 3,
    classesPerStudent: 3,
  });
  const roster = createMockOneRoster({ dataset, version: '1.1', pagingHeaders: 'classlink' });
  const tenantId = 2;
  const users = classLinkUsersFromRoster(dataset.users, { tenantId });
  const mock = createMockClassLink({
    clients: [],
    tenants: [
      {
        tenantId,
        name: 'ClassLink Demo District',
        roster: { baseUrl: roster.baseUrl, fetch: roster.fetch },
      },
    ],
    users,
  });

  // The redirect URI needs the app's port, and the app needs the SSO helper: listen first and
  // hand requests to the app once it exists.
  let app: Hono | undefined;
  const server: ServerType = await new Promise((resolve) => {
    const s = serve(
      {
        fetch: (request) => (app ? app.fetch(request) : new Response('starting', { status: 503 })),
        port: options.port ?? 3000,
        hostname: '127.0.0.1',
      },
      () => resolve(s),
    );
  });
  const address = server.address();
  const appUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await mock.listen({ port: options.mockPort ?? 0 });
  const clientSecret = randomBytes(24).toString('base64url');
  mock.addClient({
    clientId: 'smartpass-demo',
    clientSecret,
    redirectUris: [`${appUrl}/callback`],
    name: 'SmartPass',
  });

  // Sync the district the way a service would: discover tenants, reach each through the proxy.
  const storage = new MemoryStorage();
  const partner = { partnerKey: mock.partnerKey, baseUrl: mock.endpoints.proxy };
  for (const tenant of await listClassLinkTenants(partner)) {
    if (!tenant.usable) continue;
    const client = clientForTenant(tenant, { proxyBaseUrl: mock.endpoints.proxy });
    const report = await createSync({ client, storage, tenantId: tenant.tenantId }).run({
      mode: 'full',
    });
    if (report.status !== 'succeeded')
      throw new Error(`demo sync ${report.status}: ${report.reason}`);
  }

  const sso = createClassLinkSso({ ...mock.ssoOptions('smartpass-demo'), allowIdpInitiated: true });
  app = createSsoApp({ sso, storage, sessionSecret: randomBytes(32).toString('base64url') });

  const byRole = (role: string) => users.find((u) => u.role === role)?.loginId ?? '';
  return {
    appUrl,
    mock,
    logins: {
      student: byRole('Student'),
      teacher: byRole('Teacher'),
      admin: byRole('Tenant Administrator'),
    },
    close: async () => {
      await mock.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  if (process.argv.includes('--mock')) {
    const demo = await startDemo({ port: Number(process.env.PORT ?? 3000) });
    console.log(`SmartPass SSO example: ${demo.appUrl}`);
    console.log(`Mock ClassLink:        ${demo.mock.baseUrl}`);
    console.log(`LaunchPad (IdP-initiated): ${demo.mock.endpoints.launchpad}`);
    console.log(`Sign in as (any password): ${Object.values(demo.logins).join(', ')}`);
    const stop = () => void demo.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`Set ${name} (or run with --mock)`);
    return value;
  };
  const sso = createClassLinkSso({
    clientId: env('CLASSLINK_CLIENT_ID'),
    clientSecret: env('CLASSLINK_CLIENT_SECRET'),
    redirectUri: env('CLASSLINK_REDIRECT_URI'),
    allowIdpInitiated: true,
  });
  // Replace with your synced storage (SQLite/PostgreSQL adapter) in a real service.
  const app = createSsoApp({
    sso,
    storage: new MemoryStorage(),
    sessionSecret: env('SESSION_SECRET'),
  });
  const port = Number(process.env.PORT ?? 3000);
  serve({ fetch: app.fetch, port });
  console.log(`Listening on http://localhost:${port}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
