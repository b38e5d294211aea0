/**
 * A bounded, linear-time parser for the HTTP `Link` header (RFC 8288). No regular expression
 * touches the header: each character is visited a bounded number of times, so a hostile server
 * cannot stall the client with a crafted 100 kB header (the ReDoS octokit guards against).
 *
 * @module
 */

/** One link of a `Link` header. */
export interface LinkValue {
  /** The target as written (may be relative; resolve it against the request URL). */
  uri: string;
  /** The relation types, lower-cased (`rel="next last"` gives `['next', 'last']`). */
  rel: string[];
}

/** Links beyond this many are ignored: OneRoster servers send at most four (next/prev/first/last). */
export const MAX_LINKS = 32;

const isSpace = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * Parse a `Link` header into its links, in order. Malformed parts are skipped, never thrown on.
 *
 * @example
 * ```ts
 * parseLinkHeader('<https://x.test/users?offset=2>; rel="next", </users?offset=8>; rel=last');
 * // [{ uri: 'https://x.test/users?offset=2', rel: ['next'] }, { uri: '/users?offset=8', rel: ['last'] }]
 * ```
 */
export function parseLinkHeader(header: string): LinkValue[] {
  const links: LinkValue[] = [];
  const n = header.length;
  let i = 0;

  // Skip to just after the next top-level comma (commas inside quoted strings do not count).
  const skipLink = () => {
    while (i < n && header[i] !== ',') {
      if (header[i] === '"') i = endOfQuoted(header, i);
      else i++;
    }
    i++;
  };

  while (i < n && links.length < MAX_LINKS) {
    while (i < n && (isSpace(header[i]) || header[i] === ',')) i++;
    if (i >= n) break;
    if (header[i] !== '<') {
      skipLink();
      continue;
    }
    const close = header.indexOf('>', i + 1);
    if (close === -1) break;
    const uri = header.slice(i + 1, close).trim();
    i = close + 1;
    let rel: string | undefined;
    for (;;) {
      while (i < n && isSpace(header[i])) i++;
      if (i >= n) break;
      if (header[i] === ',') {
        i++;
        break;
      }
      if (header[i] !== ';') {
        skipLink();
        break;
      }
      i++;
      while (i < n && isSpace(header[i])) i++;
      const nameStart = i;
      while (i < n && !isDelimiter(header[i])) i++;
      const name = header.slice(nameStart, i).toLowerCase();
      while (i < n && isSpace(header[i])) i++;
      let value = '';
      if (header[i] === '=') {
        i++;
        while (i < n && isSpace(header[i])) i++;
        if (header[i] === '"') {
          const end = endOfQuoted(header, i);
          value = unquote(header.slice(i + 1, Math.min(end, n) - 1));
          i = end;
        } else {
          const valueStart = i;
          while (i < n && header[i] !== ';' && header[i] !== ',' && !isSpace(header[i])) i++;
          value = header.slice(valueStart, i);
        }
      }
      // RFC 8288 §3.3: only the first `rel` parameter counts.
      if (name === 'rel' && rel === undefined) rel = value;
    }
    if (uri !== '') links.push({ uri, rel: splitRel(rel) });
  }
  return links;
}

function isDelimiter(c: string | undefined): boolean {
  return c === '=' || c === ';' || c === ',' || isSpace(c);
}

/** Index just past the closing quote of the quoted string starting at `start` (or the end). */
function endOfQuoted(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return text.length + 1;
}

function unquote(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) i++;
    out += text[i];
  }
  return out;
}

function splitRel(rel: string | undefined): string[] {
  if (!rel) return [];
  const out: string[] = [];
  for (const part of rel.split(' ')) {
    const type = part.trim().toLowerCase();
    if (type !== '') out.push(type);
  }
  return out;
}
