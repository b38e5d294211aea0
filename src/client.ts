/**
 * {@link OneRosterClient}: validates its options, builds one transport (so one rate limiter per
 * client instance) and hangs the resources off itself.
 *
 * @module
 */
import { createAuthStrategy } from './auth';
import { ConfigurationError, redactUrl } from './errors';
import { createHttpTransport } from './http';
import { resolveRateLimitOptions } from './http/defaults';
import type { Transport } from './http/types';
import type { OneRosterVersion, ValidationMode } from './models/types';
import type { ClientEvent, ClientOptions, Logger } from './options';
import {
  type AcademicSessionsResource,
  type ClassesResource,
  type CoursesResource,
  createResources,
  type DemographicsResource,
  type EnrollmentsResource,
  type GradingPeriodsResource,
  type OrgsResource,
  type ResourceContext,
  type SchoolsResource,
  type StudentsResource,
  type TeachersResource,
  type TermsResource,
  type UsersResource,
} from './resources';
import {
  checkFunction,
  checkHeaders,
  checkInteger,
  checkTimeout,
  checkValidationMode,
  describeType,
  isPlainObject,
} from './resources/checks';

/** Defaults documented on {@link ClientOptions}. */
export const CLIENT_DEFAULTS = Object.freeze({
  timeout: 30_000,
  pageSize: 1000,
  maxPages: 100_000,
  validation: 'lenient' as ValidationMode,
});

/**
 * Pages requested ahead while iterating a collection whose total is known. Kept small: each
 * buffered page holds up to `pageSize` records in memory.
 */
export const MAX_PREFETCH_PAGES = 4;

const OPTION_KEYS: ReadonlySet<string> = new Set<keyof ClientOptions>([
  'baseUrl',
  'version',
  'auth',
  'rateLimit',
  'retry',
  'timeout',
  'pageSize',
  'maxPages',
  'validation',
  'logger',
  'onEvent',
  'fetch',
  'headers',
]);

/** Options that shape the transport; changing one in `withOptions` builds a new transport. */
const TRANSPORT_KEYS = [
  'baseUrl',
  'auth',
  'fetch',
  'rateLimit',
  'retry',
  'timeout',
  'headers',
  'logger',
  'onEvent',
] as const satisfies readonly (keyof ClientOptions)[];

/** Carries the parent's transport into a derived client. Module-private: not an option. */
const SHARED_TRANSPORT = Symbol('sharedTransport');

type InternalOptions = ClientOptions & { [SHARED_TRANSPORT]?: Transport };

interface ResolvedOptions {
  baseUrl: URL;
  version: OneRosterVersion;
  timeout: number;
  pageSize: number;
  maxPages: number;
  validation: ValidationMode;
  logger: Logger | undefined;
  onEvent: ((event: ClientEvent) => void) | undefined;
  fetch: typeof globalThis.fetch | undefined;
  headers: Record<string, string> | undefined;
  /** Pages requested ahead during iteration, from `rateLimit.maxConcurrent`. */
  prefetch: number;
}

/**
 * A OneRoster 1.1 / 1.2 rostering client.
 *
 * One instance holds one transport: one rate limiter, one retry budget per request, one token
 * cache. Create one per district (per base URL and credentials) and reuse it.
 *
 * @example
 * ```ts
 * import { OneRosterClient, filter } from '@smartpass/oneroster';
 *
 * const client = new OneRosterClient({
 *   baseUrl: 'https://district.example/ims/oneroster/v1p1',
 *   auth: { type: 'oauth1', consumerKey: 'key', consumerSecret: 'secret' },
 * });
 * for await (const user of client.users.list({ filter: filter.eq('role', 'student') })) {
 *   console.log(user.sourcedId, user.givenName);
 * }
 * ```
 */
export class OneRosterClient {
  /** The OneRoster version spoken: from `options.version`, else read from the base URL. */
  readonly version: OneRosterVersion;
  /** The service base URL, without a trailing slash. */
  readonly baseUrl: string;

  /** `/orgs`: organisations of every type. */
  readonly orgs: OrgsResource;
  /** `/schools`: orgs of type school, and every collection scoped to a school. */
  readonly schools: SchoolsResource;
  /** `/academicSessions`: school years, semesters, terms and grading periods. */
  readonly academicSessions: AcademicSessionsResource;
  /** `/terms`: sessions of type term, with their classes and grading periods. */
  readonly terms: TermsResource;
  /** `/gradingPeriods`: sessions of type gradingPeriod. */
  readonly gradingPeriods: GradingPeriodsResource;
  /** `/courses`, with the classes of a course. */
  readonly courses: CoursesResource;
  /** `/classes`, with the students and teachers of a class. */
  readonly classes: ClassesResource;
  /** `/users`: users of every role, with the classes of a user. */
  readonly users: UsersResource;
  /** `/students`: users with the student role, with the classes of a student. */
  readonly students: StudentsResource;
  /** `/teachers`: users with the teacher role, with the classes of a teacher. */
  readonly teachers: TeachersResource;
  /** `/enrollments`: users in classes. */
  readonly enrollments: EnrollmentsResource;
  /** `/demographics`: demographics records (a separate scope on most servers). */
  readonly demographics: DemographicsResource;

  readonly #options: ClientOptions;
  readonly #transport: Transport;

  /**
   * @throws {ConfigurationError} naming the first invalid option (`baseUrl`, `version`,
   * `auth.*`, `rateLimit.*`, `retry.*`, `timeout`, `pageSize`, `maxPages`, `validation`,
   * `logger`, `onEvent`, `fetch`, `headers`, or an unknown option).
   */
  constructor(options: ClientOptions) {
    const resolved = resolveOptions(options);
    const shared = (options as InternalOptions)[SHARED_TRANSPORT];
    this.#options = copyOptions(options);
    this.#transport = shared ?? createTransport(options, resolved);
    this.version = resolved.version;
    this.baseUrl = resolved.baseUrl.href.replace(/\/+$/, '');
    const context: ResourceContext = {
      transport: this.#transport,
      version: resolved.version,
      pageSize: resolved.pageSize,
      maxPages: resolved.maxPages,
      validation: resolved.validation,
      prefetch: resolved.prefetch,
      logger: resolved.logger,
      onEvent: resolved.onEvent,
    };
    const resources = createResources(context);
    this.orgs = resources.orgs;
    this.schools = resources.schools;
    this.academicSessions = resources.academicSessions;
    this.terms = resources.terms;
    this.gradingPeriods = resources.gradingPeriods;
    this.courses = resources.courses;
    this.classes = resources.classes;
    this.users = resources.users;
    this.students = resources.students;
    this.teachers = resources.teachers;
    this.enrollments = resources.enrollments;
    this.demographics = resources.demographics;
  }

  /**
   * A client with some options changed. It shares this client's transport (and so its rate
   * limiter, retry budget and token cache) unless `partial` changes a transport option
   * (`baseUrl`, `auth`, `fetch`, `rateLimit`, `retry`, `timeout`, `headers`, `logger`,
   * `onEvent`); objects count as changed when a property differs.
   *
   * @throws {ConfigurationError} naming an invalid option.
   *
   * @example
   * ```ts
   * const strict = client.withOptions({ validation: 'strict', pageSize: 200 }); // same limiter
   * const other = client.withOptions({ timeout: 5_000 });                      // own transport
   * ```
   */
  withOptions(partial: Partial<ClientOptions>): OneRosterClient {
    if (!isPlainObject(partial)) {
      throw new ConfigurationError('options', `must be an object, got ${describeType(partial)}`);
    }
    const parent = this.#options as unknown as Record<string, unknown>;
    const changes = partial as Record<string, unknown>;
    const transportChanged = TRANSPORT_KEYS.some(
      (key) => key in changes && !sameOption(changes[key], parent[key]),
    );
    const merged: InternalOptions = { ...this.#options, ...partial };
    if (!transportChanged) merged[SHARED_TRANSPORT] = this.#transport;
    return new OneRosterClient(merged);
  }

  /** Keeps `console.log(client)` short and free of credentials. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `OneRosterClient { version: '${this.version}', baseUrl: '${redactUrl(this.baseUrl)}' }`;
  }
}

function createTransport(options: ClientOptions, resolved: ResolvedOptions): Transport {
  const { logger, onEvent, fetch, headers } = resolved;
  const auth = createAuthStrategy(options.auth, {
    // Looked up per call, like the transport does, so msw installed after construction applies.
    fetch: fetch ?? ((input, init) => globalThis.fetch(input, init)),
    logger,
    onEvent,
  });
  if (
    auth.type !== 'none' &&
    resolved.baseUrl.protocol === 'http:' &&
    !isLoopback(resolved.baseUrl)
  ) {
    logger?.warn(
      { option: 'baseUrl' },
      'baseUrl uses plain http: credentials and roster data travel unencrypted',
    );
  }
  return createHttpTransport({
    baseUrl: new URL(resolved.baseUrl.href),
    auth,
    rateLimit: options.rateLimit ?? {},
    retry: options.retry ?? {},
    timeout: resolved.timeout,
    ...(fetch ? { fetch } : {}),
    ...(logger ? { logger } : {}),
    ...(onEvent ? { onEvent } : {}),
    ...(headers ? { headers } : {}),
  });
}

/** Validate every option and fill in defaults. */
function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (!isPlainObject(options)) {
    throw new ConfigurationError('options', `must be an object, got ${describeType(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      const hint = [...OPTION_KEYS].find((known) => known.toLowerCase() === key.toLowerCase());
      throw new ConfigurationError(
        key,
        `is not a client option${hint ? ` (did you mean \`${hint}\`?)` : ''}`,
      );
    }
  }
  const baseUrl = parseBaseUrl(options.baseUrl);
  const version = resolveVersion(baseUrl, options.version);
  if (options.auth !== undefined && !isPlainObject(options.auth)) {
    throw new ConfigurationError(
      'auth',
      `must be an object with a \`type\` ('oauth1', 'oauth2' or 'bearer'), got ${describeType(options.auth)}`,
    );
  }
  const rateLimit = options.rateLimit ?? {};
  if (rateLimit !== false && !isPlainObject(rateLimit)) {
    throw new ConfigurationError(
      'rateLimit',
      `must be an object or false, got ${describeType(rateLimit)}`,
    );
  }
  // The transport owns the rate-limit and retry rules; validating here makes a bad value fail at
  // construction even for a derived client that reuses its parent's transport.
  const limits = resolveRateLimitOptions(rateLimit);
  const retry = options.retry ?? {};
  if (retry !== false && !isPlainObject(retry)) {
    throw new ConfigurationError('retry', `must be an object or false, got ${describeType(retry)}`);
  }
  return {
    baseUrl,
    version,
    timeout:
      options.timeout === undefined
        ? CLIENT_DEFAULTS.timeout
        : checkTimeout('timeout', options.timeout),
    pageSize:
      options.pageSize === undefined
        ? CLIENT_DEFAULTS.pageSize
        : checkInteger('pageSize', options.pageSize, 1),
    maxPages:
      options.maxPages === undefined
        ? CLIENT_DEFAULTS.maxPages
        : checkInteger('maxPages', options.maxPages, 1),
    validation:
      options.validation === undefined
        ? CLIENT_DEFAULTS.validation
        : checkValidationMode('validation', options.validation),
    logger: options.logger === undefined ? undefined : checkLogger(options.logger),
    onEvent:
      options.onEvent === undefined
        ? undefined
        : checkFunction<(event: ClientEvent) => void>('onEvent', options.onEvent),
    fetch:
      options.fetch === undefined
        ? undefined
        : checkFunction<typeof globalThis.fetch>('fetch', options.fetch),
    headers: options.headers === undefined ? undefined : checkHeaders('headers', options.headers),
    prefetch:
      limits === false ? MAX_PREFETCH_PAGES : Math.min(limits.maxConcurrent, MAX_PREFETCH_PAGES),
  };
}

function parseBaseUrl(value: unknown): URL {
  if (value === undefined || value === '') {
    throw new ConfigurationError(
      'baseUrl',
      'is required: the service URL, e.g. https://district.example/ims/oneroster/v1p1',
    );
  }
  if (typeof value !== 'string' && !(value instanceof URL)) {
    throw new ConfigurationError('baseUrl', `must be a URL string, got ${describeType(value)}`);
  }
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    // The value is not echoed: a mistyped URL may still carry credentials.
    throw new ConfigurationError('baseUrl', 'is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError('baseUrl', `must use https or http, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new ConfigurationError(
      'baseUrl',
      'must not contain credentials; pass them in the `auth` option',
    );
  }
  if (url.search || url.hash) {
    throw new ConfigurationError(
      'baseUrl',
      'must not have a query string or fragment: every request builds its own query',
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  return url;
}

function resolveVersion(baseUrl: URL, version: unknown): OneRosterVersion {
  const segments = baseUrl.pathname.split('/').filter(Boolean);
  const last = segments.at(-1);
  const service = segments.at(-2);
  if (last === 'v1p2' && (service === 'gradebook' || service === 'resources')) {
    throw new ConfigurationError(
      'baseUrl',
      `points at the OneRoster 1.2 ${service} service; this client reads rostering: use the base ending in /ims/oneroster/rostering/v1p2`,
    );
  }
  if (version !== undefined) {
    if (version !== '1.1' && version !== '1.2') {
      throw new ConfigurationError(
        'version',
        `must be '1.1' or '1.2', got ${typeof version === 'string' ? JSON.stringify(version) : describeType(version)}`,
      );
    }
    return version;
  }
  if (last === 'v1p1') return '1.1';
  if (last === 'v1p2') return '1.2';
  throw new ConfigurationError(
    'version',
    `cannot be read from baseUrl ${redactUrl(baseUrl)}: it should end in /ims/oneroster/v1p1 or /ims/oneroster/rostering/v1p2; for other layouts pass version: '1.1' or '1.2'`,
  );
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

function checkLogger(value: unknown): Logger {
  if (typeof value !== 'object' || value === null) {
    throw new ConfigurationError('logger', `must be a logger object, got ${describeType(value)}`);
  }
  for (const method of LOGGER_METHODS) {
    if (typeof (value as Record<string, unknown>)[method] !== 'function') {
      throw new ConfigurationError(
        `logger.${method}`,
        'must be a function (pino, console and bunyan-style loggers fit)',
      );
    }
  }
  return value as Logger;
}

function isLoopback(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

/** Equal, or plain objects with the same own properties (`{ retries: 2 }` twice is no change). */
function sameOption(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

/** A shallow copy without the internal transport, kept for `withOptions`. */
function copyOptions(options: ClientOptions): ClientOptions {
  const copy: InternalOptions = { ...options };
  delete copy[SHARED_TRANSPORT];
  return copy;
}
