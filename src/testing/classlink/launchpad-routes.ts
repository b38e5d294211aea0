/**
 * The mock LaunchPad: the page where a student signs in to their district portal and clicks an
 * app tile, which sends the browser to the app's redirect URI with a bare code (an IdP-initiated
 * launch: no `state`, no PKCE, no `nonce`).
 *
 * @module
 */
import { escapeHtml, htmlPage, loginForm } from './html';
import { launchUrl } from './oidc-routes';
import type { MockClassLinkStore } from './store';
import { randomToken } from './store';

/** Paths of the LaunchPad pages. */
export const LAUNCHPAD_PATHS = {
  home: '/launchpad',
  login: '/launchpad/login',
  launch: '/launchpad/launch',
} as const;

function loginPage(error?: string): Response {
  return htmlPage(
    'ClassLink LaunchPad (mock)',
    loginForm({
      action: LAUNCHPAD_PATHS.login,
      hidden: {},
      error,
      allowDeny: false,
      submitLabel: 'Sign in to LaunchPad',
    }),
    error ? 401 : 200,
  );
}

/** `GET /launchpad`. */
export function handleLaunchpadHome(): Response {
  return loginPage();
}

/** `POST /launchpad/login`: sign in and show one tile per registered application. */
export async function handleLaunchpadLogin(
  store: MockClassLinkStore,
  request: Request,
): Promise<Response> {
  const form = new URLSearchParams(await request.text());
  const user = store.findUser(form.get('username') ?? '');
  if (!user || (user.password !== undefined && user.password !== form.get('password'))) {
    return loginPage('Incorrect username or password.');
  }
  const tiles = [...store.clients.values()].map((client) => {
    const ticket = randomToken(16);
    store.launchTickets.set(ticket, user.loginId);
    const href = `${LAUNCHPAD_PATHS.launch}?client_id=${encodeURIComponent(client.clientId)}&ticket=${ticket}`;
    return `<li><a class="app-tile" id="app-${escapeHtml(client.clientId)}" href="${escapeHtml(href)}">${escapeHtml(client.name ?? 'SmartPass')}</a></li>`;
  });
  return htmlPage(
    `Welcome, ${user.firstName}`,
    `<p>Your apps</p><ul id="apps">${tiles.join('')}</ul>`,
  );
}

/** `GET /launchpad/launch`: a tile click. */
export function handleLaunchpadLaunch(store: MockClassLinkStore, url: URL): Response {
  const ticket = url.searchParams.get('ticket') ?? '';
  const loginId = store.launchTickets.get(ticket);
  const clientId = url.searchParams.get('client_id') ?? '';
  if (loginId === undefined || !store.clients.has(clientId)) {
    return htmlPage('Launch expired', '<p>Sign in to LaunchPad again.</p>', 400);
  }
  store.launchTickets.delete(ticket);
  return new Response(null, {
    status: 302,
    headers: { location: launchUrl(store, loginId, clientId), 'cache-control': 'no-store' },
  });
}
