/**
 * The mock IdP's HTML pages (login form, LaunchPad, errors): plain forms a browser test can
 * drive with stable element ids, and escaping for everything interpolated.
 *
 * @module
 */

/** Escape text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A complete HTML response. */
export function htmlPage(title: string, body: string, status = 200): Response {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`;
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The login form must not be framed (clickjacking), like the real IdP's.
      'x-frame-options': 'DENY',
    },
  });
}

/** Hidden inputs carrying values through a form post. */
export function hiddenInputs(values: Record<string, string>): string {
  return Object.entries(values)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('\n');
}

/** The username/password form shared by the authorize and LaunchPad pages. */
export function loginForm(options: {
  action: string;
  hidden: Record<string, string>;
  error?: string | undefined;
  allowDeny: boolean;
  submitLabel: string;
}): string {
  const error = options.error
    ? `<p id="login-error" role="alert">${escapeHtml(options.error)}</p>`
    : '';
  const deny = options.allowDeny
    ? '<button id="deny" type="submit" name="action" value="deny" formnovalidate>Cancel</button>'
    : '';
  return `${error}
<form id="login-form" method="post" action="${escapeHtml(options.action)}">
${hiddenInputs(options.hidden)}
<label>Username <input id="username" name="username" autocomplete="username" required></label>
<label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
<button id="sign-in" type="submit" name="action" value="login">${escapeHtml(options.submitLabel)}</button>
${deny}
</form>`;
}
