/**
 * Faults real districts produce, injected deterministically: 429s (with or without
 * `Retry-After`, JSON or HTML bodies), 5xx, connection resets, slow responses, truncated JSON,
 * a record that fails validation, data changing between pages, and clamped pages. Each fault
 * targets a path pattern and fires on chosen occurrences (`nth`, `every`, a seeded
 * `probability`, at most `times`).
 *
 * @module
 */
import { ConfigurationError } from '../../errors';
import type { OneRosterVersion, RecordTypes, SyncResource } from '../../models/types';
import type { Dataset } from '../district/dataset';
import { insertCopiesAfter } from '../district/insert';
import { hardDeleteRecords } from '../district/mutate';
import { createRandom, type Random, type Seed } from '../random';
import type { FaultPlan, FaultPlanner, RequestContext } from './handle';
import { type CodeMinor, errorResponse } from './status-info';
import type { View } from './views';

/** Which requests a fault applies to, and on which occurrences it fires. */
export interface FaultTarget {
  /**
   * Path relative to the version base (`/users`, `/schools/org-1/classes`), or the token
   * endpoint's absolute path. A string matches the whole path, `*` matching any characters
   * (`/users*` covers `/users` and `/users/u-1`); a RegExp is tested against it.
   * @default every request
   */
  path?: string | RegExp;
  /** Only requests with this method. @default any */
  method?: string;
  /** Fire on these occurrences only (1-based, counted over the requests the target matches). */
  nth?: number | readonly number[];
  /** Fire on every n-th matching request (n, 2n, ...). */
  every?: number;
  /** Fire with this probability, from a seeded generator (`seed`). */
  probability?: number;
  /** Fire at most this many times. */
  times?: number;
  /** Seed of `probability`. @default the server's seed and the fault's position */
  seed?: Seed;
}

/** A fault. Conditions in {@link FaultTarget} combine with AND. */
export type MockFault = FaultTarget &
  (
    | {
        /** Answer with this status instead (429, 500, 502, 503, ...). */
        kind: 'status';
        status: number;
        /** `Retry-After`: seconds, a `Date` (sent as an HTTP date), or a raw header value. */
        retryAfter?: number | Date | string;
        /**
         * Body: the version's imsx error JSON, an HTML page (what gateways and Ed-Fi's rate
         * limiter send), plain text, or nothing. @default 'json'
         */
        body?: 'json' | 'html' | 'text' | 'empty';
        /** Extra response headers (e.g. `RateLimit-Remaining`). */
        headers?: Record<string, string>;
      }
    | { /** Drop the connection without a response. */ kind: 'reset' }
    | { /** Answer after an extra delay (fake timers apply). */ kind: 'slow'; delayMs: number }
    | {
        /** Send a 200 whose JSON body is cut off. */
        kind: 'truncate';
        /** Share of the body kept, in (0, 1). @default 0.5 */
        at?: number;
      }
    | {
        /** Break one record of the page so it fails validation. */
        kind: 'invalid-record';
        /** Field removed (or replaced when `value` is given). @default 'sourcedId' */
        field?: string;
        value?: unknown;
        /** Index in the page. @default the middle of the page */
        index?: number;
      }
    | {
        /**
         * Data changes between pages: before serving a page at offset > 0, insert records
         * before the offset (so this page repeats the previous page's last record when the
         * offset is at least 2), or delete records before the offset (so the walk skips as many
         * records). Changes the dataset: inserted records are copies with new sourcedIds,
         * deletions cascade like `mutate({ hardDelete })`.
         */
        kind: 'insert-before' | 'delete-before';
        /** @default 1 */
        count?: number;
      }
    | {
        /** Serve at most `limit` records on this page, whatever was asked. */ kind: 'clamp';
        limit: number;
      }
  );

/** A fault with its counters, as listed by {@link FaultController.list}. */
export interface ActiveFault {
  readonly id: number;
  readonly fault: MockFault;
  /** Matching requests seen since the fault was added. */
  readonly seen: number;
  /** Times it fired. */
  readonly fired: number;
}

/** Runtime control of a mock server's faults. */
export interface FaultController {
  /** Replace every fault. */
  set(faults: readonly MockFault[]): void;
  /** Add a fault; returns its id (for {@link FaultController.remove}). */
  add(fault: MockFault): number;
  /** Add a fault that fires once (on the next matching request). */
  injectOnce(fault: MockFault): number;
  remove(id: number): boolean;
  /** Remove every fault. */
  clear(): void;
  list(): ActiveFault[];
}

interface Entry {
  id: number;
  fault: MockFault;
  seen: number;
  fired: number;
  random: Random | undefined;
  matches: (path: string) => boolean;
}

function positiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function checkFault(fault: MockFault, option: string): void {
  if (typeof fault !== 'object' || fault === null) {
    throw new ConfigurationError(option, 'must be a fault object');
  }
  const target = fault as FaultTarget;
  if (
    target.path !== undefined &&
    typeof target.path !== 'string' &&
    !(target.path instanceof RegExp)
  ) {
    throw new ConfigurationError(`${option}.path`, 'must be a string pattern or a RegExp');
  }
  const nth =
    target.nth === undefined ? [] : typeof target.nth === 'number' ? [target.nth] : target.nth;
  if (!Array.isArray(nth) || !nth.every(positiveInteger)) {
    throw new ConfigurationError(`${option}.nth`, 'must be a positive integer or a list of them');
  }
  if (target.every !== undefined && !positiveInteger(target.every)) {
    throw new ConfigurationError(`${option}.every`, 'must be a positive integer');
  }
  if (target.times !== undefined && !positiveInteger(target.times)) {
    throw new ConfigurationError(`${option}.times`, 'must be a positive integer');
  }
  if (
    target.probability !== undefined &&
    !(typeof target.probability === 'number' && target.probability >= 0 && target.probability <= 1)
  ) {
    throw new ConfigurationError(`${option}.probability`, 'must be a number from 0 to 1');
  }
  switch (fault.kind) {
    case 'status':
      if (!(Number.isInteger(fault.status) && fault.status >= 400 && fault.status <= 599)) {
        throw new ConfigurationError(`${option}.status`, 'must be an HTTP error status (400-599)');
      }
      if (fault.body !== undefined && !['json', 'html', 'text', 'empty'].includes(fault.body)) {
        throw new ConfigurationError(`${option}.body`, "must be 'json', 'html', 'text' or 'empty'");
      }
      break;
    case 'slow':
      if (!(typeof fault.delayMs === 'number' && fault.delayMs >= 0)) {
        throw new ConfigurationError(`${option}.delayMs`, 'must be a number >= 0');
      }
      break;
    case 'truncate':
      if (fault.at !== undefined && !(fault.at > 0 && fault.at < 1)) {
        throw new ConfigurationError(`${option}.at`, 'must be a share between 0 and 1');
      }
      break;
    case 'clamp':
      if (!positiveInteger(fault.limit)) {
        throw new ConfigurationError(`${option}.limit`, 'must be a positive integer');
      }
      break;
    case 'insert-before':
    case 'delete-before':
      if (fault.count !== undefined && !positiveInteger(fault.count)) {
        throw new ConfigurationError(`${option}.count`, 'must be a positive integer');
      }
      break;
    case 'invalid-record':
      if (fault.index !== undefined && !(Number.isInteger(fault.index) && fault.index >= 0)) {
        throw new ConfigurationError(`${option}.index`, 'must be an integer >= 0');
      }
      break;
    case 'reset':
      break;
    default:
      throw new ConfigurationError(
        `${option}.kind`,
        `unknown fault kind ${JSON.stringify((fault as { kind?: unknown }).kind)}`,
      );
  }
}

function pathMatcher(path: string | RegExp | undefined): (path: string) => boolean {
  if (path === undefined) return () => true;
  if (path instanceof RegExp) {
    // A copy without the global flag, so `test` has no `lastIndex` state between requests.
    const re = new RegExp(path.source, path.flags.replace('g', ''));
    return (p) => re.test(p);
  }
  const escaped = path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  const re = new RegExp(`^${escaped}$`);
  return (p) => re.test(p);
}

const STATUS_MINOR: Readonly<Record<number, CodeMinor>> = {
  400: 'invaliddata',
  401: 'unauthorisedrequest',
  403: 'forbidden',
  404: 'unknownobject',
  422: 'invaliddata',
  429: 'server_busy',
};

const STATUS_TEXT: Readonly<Record<number, string>> = {
  429: 'Too many requests, please try again later.',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function statusResponse(
  fault: Extract<MockFault, { kind: 'status' }>,
  context: RequestContext,
): Response {
  const headers: Record<string, string> = { ...fault.headers };
  if (fault.retryAfter !== undefined) {
    headers['Retry-After'] =
      fault.retryAfter instanceof Date
        ? fault.retryAfter.toUTCString()
        : typeof fault.retryAfter === 'number'
          ? String(Math.max(0, Math.round(fault.retryAfter)))
          : fault.retryAfter;
  }
  const text = STATUS_TEXT[fault.status] ?? `HTTP ${fault.status}`;
  switch (fault.body ?? 'json') {
    case 'html':
      return new Response(
        `<!DOCTYPE html>\n<html><head><title>${fault.status} ${text}</title></head><body><h1>${text}</h1></body></html>\n`,
        {
          status: fault.status,
          headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
        },
      );
    case 'text':
      return new Response(text, {
        status: fault.status,
        headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
      });
    case 'empty':
      return new Response(null, { status: fault.status, headers });
    default:
      return errorResponse(
        context.version,
        fault.status,
        STATUS_MINOR[fault.status] ?? 'internal_server_error',
        text,
        context.requestId,
        headers,
      );
  }
}

/** The planner the core uses plus the runtime controller users get. */
export interface Faults extends FaultPlanner {
  readonly controller: FaultController;
}

/** Build the fault machinery for one server. */
export function createFaults(options: {
  faults: readonly MockFault[] | undefined;
  seed: Seed;
  dataset: Dataset;
  version: OneRosterVersion;
}): Faults {
  let entries: Entry[] = [];
  let nextId = 1;
  const { dataset, seed } = options;

  const add = (fault: MockFault, option: string): number => {
    checkFault(fault, option);
    const id = nextId++;
    entries.push({
      id,
      fault,
      seen: 0,
      fired: 0,
      random:
        fault.probability === undefined
          ? undefined
          : createRandom(fault.seed ?? seed, 'fault', fault.seed === undefined ? id : 0),
      matches: pathMatcher(fault.path),
    });
    return id;
  };
  const set = (faults: readonly MockFault[] | undefined, option: string) => {
    if (faults !== undefined && !Array.isArray(faults)) {
      throw new ConfigurationError(option, 'must be a list of faults');
    }
    entries = [];
    for (const [i, fault] of (faults ?? []).entries()) add(fault, `${option}[${i}]`);
  };
  set(options.faults, 'faults');

  const fires = (entry: Entry): boolean => {
    const { fault } = entry;
    if (fault.times !== undefined && entry.fired >= fault.times) return false;
    if (fault.nth !== undefined) {
      const nth = typeof fault.nth === 'number' ? [fault.nth] : fault.nth;
      if (!nth.includes(entry.seen)) return false;
    }
    if (fault.every !== undefined && entry.seen % fault.every !== 0) return false;
    // Drawn only when the other conditions hold, so a schedule is reproducible from its seed.
    if (entry.random !== undefined && !(entry.random.next() < (fault.probability ?? 1)))
      return false;
    return true;
  };

  const controller: FaultController = {
    set: (faults) => set(faults, 'faults'),
    add: (fault) => add(fault, 'fault'),
    injectOnce: (fault) => add({ ...fault, times: 1 }, 'fault'),
    remove(id) {
      const before = entries.length;
      entries = entries.filter((e) => e.id !== id);
      return entries.length !== before;
    },
    clear: () => {
      entries = [];
    },
    list: () => entries.map(({ id, fault, seen, fired }) => ({ id, fault, seen, fired })),
  };

  return {
    controller,
    plan(request: Request, context: RequestContext): FaultPlan {
      const plan: FaultPlan = { applied: [], delayMs: 0 };
      for (const entry of [...entries]) {
        const { fault } = entry;
        if (fault.method !== undefined && fault.method.toUpperCase() !== request.method) continue;
        if (!entry.matches(context.path)) continue;
        entry.seen++;
        if (!fires(entry)) continue;
        // A response already replaced by an earlier fault cannot carry another replacement.
        if ((fault.kind === 'status' || fault.kind === 'reset') && plan.response) continue;
        entry.fired++;
        plan.applied.push(fault.kind);
        switch (fault.kind) {
          case 'status':
            plan.response = statusResponse(fault, context);
            break;
          case 'reset':
            plan.response = Response.error();
            break;
          case 'slow':
            plan.delayMs += fault.delayMs;
            break;
          case 'truncate':
            plan.truncateAt = fault.at ?? 0.5;
            break;
          case 'invalid-record':
            plan.invalidRecord =
              'value' in fault
                ? { index: fault.index, field: fault.field ?? 'sourcedId', value: fault.value }
                : { index: fault.index, field: fault.field ?? 'sourcedId' };
            break;
          case 'insert-before':
          case 'delete-before':
            plan.shiftData = {
              change: fault.kind === 'insert-before' ? 'insert' : 'delete',
              count: fault.count ?? 1,
            };
            break;
          case 'clamp':
            plan.clampLimit = Math.min(plan.clampLimit ?? fault.limit, fault.limit);
            break;
        }
      }
      return plan;
    },
    shift(shift, page: { kind: SyncResource; view: View; offset: number }) {
      const collection = dataset.collection(page.kind);
      const size = page.view === 'all' ? collection.size : page.view.length;
      const end = Math.min(page.offset, size);
      if (end <= 0) return;
      const positionAt = (i: number) => (page.view === 'all' ? i : (page.view[i] as number));
      const at = new Date(Date.parse(dataset.latestModified) + 1000).toISOString();
      if (shift.change === 'insert') {
        // Copies land right after their source: copying the second-to-last record before the
        // offset pushes the last one onto this page, so a walk by offset serves it twice.
        const record = collection.at(positionAt(Math.max(0, end - 2))) as RecordTypes[SyncResource];
        insertCopiesAfter(dataset, page.kind, record, shift.count, at);
      } else {
        const ids: string[] = [];
        for (let i = end - 1; i >= Math.max(0, end - shift.count); i--) {
          ids.push(collection.idAt(positionAt(i)) as string);
        }
        hardDeleteRecords(dataset, page.kind, ids, at);
      }
    },
  };
}
