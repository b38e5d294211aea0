/**
 * Parse the imsx status information a OneRoster server sends with an error (or, sometimes, with a
 * 2xx), whatever shape it uses, and make short excerpts of non-JSON bodies.
 *
 * Shapes seen in the wild (see shared/reference/oneroster.md §8):
 * - 1.2 flat `imsx_StatusInfoDType`: `imsx_codeMajor`, `imsx_severity`, `imsx_description`,
 *   `imsx_CodeMinor.imsx_codeMinorField[]` (or `imsx_codeMinor` as a plain string, as Ed-Fi sends);
 * - 1.1 wrappers: `{ statusInfoSet: [...] }`, `{ imsx_statusInfo: {...} }`, also nested;
 * - `{ errors: [{ codeMajor, severity, codeMinor, description }] }` with un-prefixed keys.
 *
 * Keys are matched case-insensitively and with or without the `imsx_` prefix, because vendors
 * disagree on both.
 *
 * @module
 */
import type { StatusInfo, StatusInfoCodeMinor } from '../errors';

type Json = Record<string, unknown>;

const WRAPPER_KEYS = new Set(['statusinfoset', 'statusinfo', 'errors', 'warnings']);
const EXCERPT_LENGTH = 200;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `imsx_CodeMinor` / `codeMinor` / `IMSX_codeminor` all normalise to `codeminor`. */
function normaliseKey(key: string): string {
  const lower = key.toLowerCase();
  return lower.startsWith('imsx_') ? lower.slice(5) : lower;
}

/** Find a value by normalised key in one object; only its own top level is looked at. */
function pick(object: Json, name: string): unknown {
  for (const key of Object.keys(object)) {
    if (normaliseKey(key) === name) return object[key];
  }
  return undefined;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every code-minor encoding: a string, a field, a list of fields, or a `codeMinorField` holder. */
function parseCodeMinor(value: unknown, out: StatusInfoCodeMinor[], depth = 0): void {
  if (depth > 3) return;
  const text = asText(value);
  if (text !== undefined) {
    out.push({ name: 'codeMinor', value: text });
    return;
  }
  for (const item of asList(value)) {
    if (!isObject(item)) {
      const itemText = asText(item);
      if (itemText !== undefined) out.push({ name: 'codeMinor', value: itemText });
      continue;
    }
    const fieldValue = asText(pick(item, 'codeminorfieldvalue') ?? pick(item, 'value'));
    if (fieldValue !== undefined) {
      const fieldName = asText(pick(item, 'codeminorfieldname') ?? pick(item, 'name'));
      out.push({ name: fieldName ?? 'codeMinor', value: fieldValue });
      continue;
    }
    const nested = pick(item, 'codeminorfield') ?? pick(item, 'codeminor');
    if (nested !== undefined) parseCodeMinor(nested, out, depth + 1);
  }
}

/** One status-info object, or `undefined` when it has none of the imsx keys. */
function parseOne(object: Json): StatusInfo | undefined {
  const codeMajor = asText(pick(object, 'codemajor'));
  const severity = asText(pick(object, 'severity'));
  const description = asText(pick(object, 'description'));
  const codeMinor: StatusInfoCodeMinor[] = [];
  parseCodeMinor(pick(object, 'codeminor'), codeMinor);
  // Without codeMajor or codeMinor this is not status info, even if it has a description
  // (a record may well have a `description` field).
  if (codeMajor === undefined && codeMinor.length === 0) return undefined;
  const info: StatusInfo = { codeMinor };
  if (codeMajor !== undefined) info.codeMajor = codeMajor;
  if (severity !== undefined) info.severity = severity;
  if (description !== undefined) info.description = description;
  return info;
}

function collect(value: unknown, out: StatusInfo[], depth: number): void {
  if (depth > 3) return;
  for (const item of asList(value)) {
    if (!isObject(item)) continue;
    const info = parseOne(item);
    if (info) {
      out.push(info);
      continue;
    }
    // A wrapper object such as `{ imsx_statusInfo: [...] }` inside `statusInfoSet`.
    for (const key of Object.keys(item)) {
      if (WRAPPER_KEYS.has(normaliseKey(key))) collect(item[key], out, depth + 1);
    }
  }
}

function isFailure(info: StatusInfo): boolean {
  const major = info.codeMajor?.toLowerCase();
  return major === 'failure' || major === 'unsupported' || info.severity?.toLowerCase() === 'error';
}

/**
 * Normalise the imsx status information in a parsed JSON body, or return `undefined` when the
 * body carries none. With several entries (a `statusInfoSet`), the first failure wins and the
 * code-minor values of all entries are kept.
 *
 * Only top-level keys and the known wrapper keys are inspected, so calling this on a large 2xx
 * collection body costs a handful of property lookups.
 *
 * @example
 * ```ts
 * parseStatusInfo({ imsx_codeMajor: 'failure', imsx_severity: 'error', imsx_codeMinor: 'invalid_data' });
 * // { codeMajor: 'failure', severity: 'error', codeMinor: [{ name: 'codeMinor', value: 'invalid_data' }] }
 * ```
 */
export function parseStatusInfo(body: unknown): StatusInfo | undefined {
  if (!isObject(body)) {
    if (!Array.isArray(body)) return undefined;
    const entries: StatusInfo[] = [];
    collect(body, entries, 0);
    return merge(entries);
  }
  const direct = parseOne(body);
  if (direct) return direct;
  const entries: StatusInfo[] = [];
  for (const key of Object.keys(body)) {
    if (WRAPPER_KEYS.has(normaliseKey(key))) collect(body[key], entries, 0);
  }
  return merge(entries);
}

function merge(entries: StatusInfo[]): StatusInfo | undefined {
  const primary = entries.find(isFailure) ?? entries[0];
  if (!primary) return undefined;
  const seen = new Set<string>();
  const codeMinor: StatusInfoCodeMinor[] = [];
  for (const minor of [primary, ...entries].flatMap((e) => e.codeMinor)) {
    const id = `${minor.name}\u0000${minor.value}`;
    if (seen.has(id)) continue;
    seen.add(id);
    codeMinor.push(minor);
  }
  return { ...primary, codeMinor };
}

/**
 * Whether status info reports a failure (`codeMajor` `failure`/`unsupported`, or severity
 * `error`), as opposed to success or a warning on a successful read (OneRoster 1.1 sends those
 * with data).
 *
 * @example
 * ```ts
 * isFailureStatus({ codeMajor: 'success', severity: 'warning', codeMinor: [] }); // false
 * ```
 */
export function isFailureStatus(info: StatusInfo): boolean {
  return isFailure(info);
}

/**
 * A short, single-line excerpt of a non-JSON body: HTML tags, scripts and styles removed,
 * common entities decoded, whitespace collapsed, cut at ~200 characters, then scrubbed by
 * `redact`. Returns `undefined` for an empty body.
 *
 * @example
 * ```ts
 * bodyExcerpt('<html><body><h1>Too many requests</h1></body></html>', (s) => s);
 * // 'Too many requests'
 * ```
 */
export function bodyExcerpt(text: string, redact: (value: string) => string): string | undefined {
  // Bound the work on huge gateway pages: the excerpt only needs the start of the document.
  const head = text.length > 20_000 ? text.slice(0, 20_000) : text;
  const stripped = head
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&amp;/gi, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return clipText(stripped, redact, EXCERPT_LENGTH);
}

/**
 * A server-written text (an imsx description) made safe for a message: whitespace collapsed,
 * scrubbed by `redact`, cut at `max` characters. Unlike {@link bodyExcerpt} it keeps `<…>`, which
 * in a description is content ("invalid value <none>"), not markup.
 *
 * @example
 * ```ts
 * clipText('Unknown   filter field:\n nickname', (s) => s); // 'Unknown filter field: nickname'
 * ```
 */
export function clipText(
  text: string,
  redact: (value: string) => string,
  max = 500,
): string | undefined {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  if (collapsed === '') return undefined;
  // Redact before cutting so a secret straddling the cut cannot survive as a prefix.
  const clean = redact(collapsed);
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
}
