/**
 * The OneRoster filter builder. Builds expressions of the grammar
 * `clause [ SP ("AND" | "OR") SP clause ]*` where `clause = field op 'value'`, quoting and
 * escaping every value so that callers never hand-assemble quotes.
 *
 * @module
 */
import { ConfigurationError } from '../errors';
import { describeName, isValidFieldName } from './names';

/** A OneRoster comparison operator; `~` means "contains". */
export type FilterOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';

/** The logical operator joining clauses. The grammar allows one kind per expression. */
export type FilterLogic = 'AND' | 'OR';

/**
 * A value a clause compares with. Strings (including ISO 8601 dates) are sent as given; numbers
 * and booleans as `String(value)`; a `Date` as its UTC `toISOString()`.
 */
export type FilterValue = string | number | boolean | Date;

const BRAND = Symbol.for('@smartpass/oneroster.filter');

/**
 * A built filter expression. Pass it as `filter` to any list call, or call `toString()` for the
 * (unencoded) expression text.
 *
 * @example
 * ```ts
 * const f: Filter = filter.and(filter.eq('role', 'student'), filter.eq('status', 'active'));
 * f.toString(); // "role='student' AND status='active'"
 * f.clauses.length; // 2
 * ```
 */
export interface Filter {
  /** How the clauses are joined; `undefined` for a single clause. */
  readonly logic: FilterLogic | undefined;
  /** The clauses, each already quoted (`role='student'`). */
  readonly clauses: readonly string[];
  /** The expression as sent in the `filter` query parameter, before URL encoding. */
  toString(): string;
}

interface FilterInternals extends Filter {
  readonly [BRAND]: true;
  /** A raw expression mixing AND and OR: usable alone, never combinable. */
  readonly mixed: boolean;
}

function makeFilter(logic: FilterLogic | undefined, clauses: string[], mixed = false): Filter {
  const text = logic === undefined ? clauses.join('') : clauses.join(` ${logic} `);
  const value: FilterInternals = {
    [BRAND]: true,
    logic,
    clauses: Object.freeze(clauses),
    mixed,
    toString: () => text,
  };
  // toJSON keeps logged or serialised options readable instead of printing internals.
  Object.defineProperty(value, 'toJSON', { value: () => text, enumerable: false });
  return Object.freeze(value);
}

/**
 * Whether `value` was built by {@link filter}.
 *
 * @example
 * ```ts
 * isFilter(filter.eq('status', 'active')); // true
 * isFilter("status='active'");             // false
 * ```
 */
export function isFilter(value: unknown): value is Filter {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

function assertField(field: unknown): asserts field is string {
  if (!isValidFieldName(field)) {
    throw new ConfigurationError(
      'filter',
      `field name ${describeName(field)} is not valid: expected a name such as \`givenName\` or a dot path such as \`course.sourcedId\``,
    );
  }
}

function formatValue(field: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return String(value);
    // The value itself is not echoed: filter values may be personal data.
    throw new ConfigurationError('filter', `the value for \`${field}\` must be a finite number`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new ConfigurationError('filter', `the value for \`${field}\` is an invalid Date`);
    }
    return value.toISOString();
  }
  throw new ConfigurationError(
    'filter',
    `the value for \`${field}\` must be a string, number, boolean or Date, got ${value === null ? 'null' : typeof value}`,
  );
}

function clause(operator: FilterOperator) {
  return (field: string, value: FilterValue): Filter => {
    assertField(field);
    // No escaping rule exists in the spec; doubling the quote (SQL style) is what the servers that
    // handle embedded quotes at all expect.
    const quoted = formatValue(field, value).replaceAll("'", "''");
    return makeFilter(undefined, [`${field}${operator}'${quoted}'`]);
  };
}

/**
 * Split a raw expression on ` AND ` / ` OR ` outside quoted values, to learn which logical
 * operator it uses. A doubled quote inside a value toggles twice, so it needs no special case.
 */
function analyseRaw(expression: string): { clauses: string[]; logic: Set<FilterLogic> } {
  const clauses: string[] = [];
  const logic = new Set<FilterLogic>();
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (char === "'") {
      inQuote = !inQuote;
      continue;
    }
    if (inQuote || char !== ' ') continue;
    for (const op of ['AND', 'OR'] as const) {
      if (expression.startsWith(` ${op} `, i)) {
        clauses.push(expression.slice(start, i));
        logic.add(op);
        start = i + op.length + 2;
        i = start - 1;
        break;
      }
    }
  }
  clauses.push(expression.slice(start));
  return { clauses, logic };
}

function raw(expression: string): Filter {
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new ConfigurationError('filter', 'filter.raw() needs a non-empty expression string');
  }
  const { clauses, logic } = analyseRaw(expression);
  if (logic.size === 0) return makeFilter(undefined, [expression]);
  if (logic.size === 1) return makeFilter([...logic][0], clauses);
  // Kept verbatim: the caller knows their server; we only refuse to combine it further.
  return makeFilter(undefined, [expression], true);
}

function combine(logic: FilterLogic) {
  return (...filters: Filter[]): Filter => {
    const name = logic === 'AND' ? 'filter.and' : 'filter.or';
    if (filters.length === 0) {
      throw new ConfigurationError('filter', `${name}() needs at least one filter`);
    }
    const clauses: string[] = [];
    for (const item of filters) {
      if (!isFilter(item)) {
        throw new ConfigurationError(
          'filter',
          `${name}() accepts only filters built with filter.*(); wrap a string in filter.raw()`,
        );
      }
      const internals = item as FilterInternals;
      if (internals.mixed || (item.logic !== undefined && item.logic !== logic)) {
        throw new ConfigurationError(
          'filter',
          `${name}() cannot contain an ${logic === 'AND' ? 'OR' : 'AND'} expression: OneRoster filters have no parentheses, so mixing AND and OR has no defined meaning. Run separate requests, or filter the results in code`,
        );
      }
      // A same-operator group is flattened: `a AND b AND c` needs no parentheses to mean the same.
      clauses.push(...item.clauses);
    }
    if (clauses.length === 1) return filters[0] as Filter;
    return makeFilter(logic, clauses);
  };
}

/**
 * Build OneRoster `filter` expressions with quoting and escaping done for you.
 *
 * Every value is wrapped in single quotes with embedded `'` doubled (`O''Brien`; the spec defines
 * no escape, doubling is the common convention). Field names are checked
 * (`[A-Za-z][A-Za-z0-9_]*` with dot paths); a bad one throws {@link ConfigurationError}.
 *
 * `and()` / `or()` may repeat one operator (`a AND b AND c`), but OneRoster 1.1 RECOMMENDS at most
 * two clauses (a single AND or OR) and many servers reject more; prefer two and narrow further in
 * code. Mixing AND with OR, or nesting a group of the other kind, throws: the grammar has no
 * parentheses. `raw()` sends an expression exactly as written (it is still URL-encoded).
 *
 * @example
 * ```ts
 * import { filter } from '@smartpass/oneroster';
 *
 * filter.eq('familyName', "O'Brien").toString();                 // "familyName='O''Brien'"
 * filter.gte('dateLastModified', new Date(Date.UTC(2026, 0, 1))).toString();
 * // "dateLastModified>='2026-01-01T00:00:00.000Z'"
 * filter.and(filter.eq('role', 'student'), filter.eq('status', 'active')).toString();
 * // "role='student' AND status='active'"
 * filter.raw("givenName~'ann'");
 * ```
 */
export const filter = Object.freeze({
  /** `field='value'` */
  eq: clause('='),
  /** `field!='value'` */
  ne: clause('!='),
  /** `field>'value'` */
  gt: clause('>'),
  /** `field>='value'` */
  gte: clause('>='),
  /** `field<'value'` */
  lt: clause('<'),
  /** `field<='value'` */
  lte: clause('<='),
  /** `field~'value'` (contains) */
  contains: clause('~'),
  /** Join filters with ` AND ` (same-operator groups are flattened). */
  and: combine('AND'),
  /** Join filters with ` OR ` (same-operator groups are flattened). */
  or: combine('OR'),
  /** An expression sent as written; not validated beyond being non-empty. */
  raw,
});
