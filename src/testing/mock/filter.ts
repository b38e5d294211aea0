/**
 * The server side of OneRoster's filter grammar (oneroster.md §7.4): parse a `filter` value and
 * test wire records against it. (The client's builder in `src/query/` is the other side; the
 * two are deliberately separate implementations, so each checks the other.)
 *
 * ```
 * filter  = clause *( SP logical SP clause )     ; one logical operator, repeatable
 * clause  = field predicate "'" value "'"        ; '' inside a value is one quote
 * predicate = "=" / "!=" / ">" / ">=" / "<" / "<=" / "~"
 * logical = "AND" / "OR"
 * ```
 *
 * @module
 */

/** A filter predicate. `~` is "contains". */
export type FilterOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';

/** One `field op 'value'` clause. */
export interface FilterClause {
  field: string;
  operator: FilterOperator;
  value: string;
  /** The value as epoch ms, for `dateLastModified` (compared as instants). */
  instant?: number;
}

/** A parsed filter: clauses joined by one logical operator. */
export interface ParsedFilter {
  logic: 'AND' | 'OR';
  clauses: FilterClause[];
}

/** Why a filter was rejected. */
export interface FilterSyntaxError {
  error: string;
}

const FIELD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const OPERATORS: readonly FilterOperator[] = ['!=', '>=', '<=', '=', '>', '<', '~'];
const LOGIC = / +(AND|OR) +/y;
/** Fields whose values are date-times, compared as instants (oneroster.md §14.22). */
const INSTANT_FIELDS = new Set(['dateLastModified']);

/**
 * Parse a decoded `filter` parameter. Spaces around the operator are tolerated; the logical
 * operator must be upper-case `AND` or `OR` with spaces around it, and only one kind may appear
 * (OneRoster has no parentheses, so mixing would be ambiguous).
 */
export function parseFilter(text: string): ParsedFilter | FilterSyntaxError {
  const clauses: FilterClause[] = [];
  let logic: 'AND' | 'OR' | undefined;
  let at = 0;
  const fail = (message: string): FilterSyntaxError => ({
    error: `Malformed filter at character ${at + 1}: ${message}`,
  });
  for (;;) {
    while (text[at] === ' ') at++;
    FIELD.lastIndex = at;
    const field = FIELD.exec(text)?.[0];
    if (!field) return fail('expected a field name');
    at += field.length;
    while (text[at] === ' ') at++;
    const operator = OPERATORS.find((op) => text.startsWith(op, at));
    if (!operator) return fail(`expected one of ${OPERATORS.join(' ')} after "${field}"`);
    at += operator.length;
    while (text[at] === ' ') at++;
    if (text[at] !== "'") return fail('values must be wrapped in single quotes');
    at++;
    let value = '';
    for (;;) {
      const quote = text.indexOf("'", at);
      if (quote === -1) return fail('unterminated quoted value');
      value += text.slice(at, quote);
      at = quote + 1;
      if (text[at] !== "'") break;
      value += "'";
      at++;
    }
    const clause: FilterClause = { field, operator, value };
    if (INSTANT_FIELDS.has(field)) {
      const instant = Date.parse(value);
      if (Number.isNaN(instant)) return fail(`'${value}' is not an ISO 8601 date-time`);
      clause.instant = instant;
    }
    clauses.push(clause);
    if (at === text.length || text.slice(at).trim() === '') break;
    LOGIC.lastIndex = at;
    const joined = LOGIC.exec(text);
    if (!joined) return fail('expected " AND " or " OR " between clauses');
    const next = joined[1] as 'AND' | 'OR';
    if (logic !== undefined && logic !== next) {
      return fail('AND and OR cannot be mixed (OneRoster filters have no parentheses)');
    }
    logic = next;
    at = LOGIC.lastIndex;
  }
  return { logic: logic ?? 'AND', clauses };
}

/** The scalar values at a dot path, looking through arrays (`roles.role` -> every role). */
function valuesAt(record: Record<string, unknown>, path: string): string[] {
  let current: unknown[] = [record];
  for (const segment of path.split('.')) {
    const next: unknown[] = [];
    for (const item of current) {
      if (typeof item !== 'object' || item === null) continue;
      const value = (item as Record<string, unknown>)[segment];
      if (Array.isArray(value)) next.push(...value);
      else if (value !== undefined && value !== null) next.push(value);
    }
    current = next;
  }
  const out: string[] = [];
  for (const value of current) {
    if (typeof value === 'object' && value !== null) {
      // A reference compared as a whole means its sourcedId (`class='c-1'`).
      const id = (value as { sourcedId?: unknown }).sourcedId;
      if (typeof id === 'string') out.push(id);
    } else {
      // Booleans compare as their wire text: "true" in 1.2 strings and 1.1 booleans alike.
      out.push(String(value));
    }
  }
  return out;
}

function compare(actual: string, clause: FilterClause): boolean {
  if (clause.instant !== undefined && clause.operator !== '~') {
    const instant = Date.parse(actual);
    if (Number.isNaN(instant)) return false;
    return order(instant - clause.instant, clause.operator);
  }
  if (clause.operator === '~') return actual.toLowerCase().includes(clause.value.toLowerCase());
  return order(actual === clause.value ? 0 : actual < clause.value ? -1 : 1, clause.operator);
}

/** Whether a comparison's sign (-1, 0, 1, or any number of that sign) satisfies `operator`. */
export function order(sign: number, operator: FilterOperator): boolean {
  switch (operator) {
    case '=':
      return sign === 0;
    case '!=':
      return sign !== 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    default:
      return false;
  }
}

function matchesClause(record: Record<string, unknown>, clause: FilterClause): boolean {
  const values = valuesAt(record, clause.field);
  // `!=` holds when no value equals (also when the field is absent); every other operator
  // needs one value that satisfies it.
  if (clause.operator === '!=')
    return !values.some((v) => compare(v, { ...clause, operator: '=' }));
  return values.some((v) => compare(v, clause));
}

/** Whether a wire record satisfies the filter. */
export function matchesFilter(record: Record<string, unknown>, filter: ParsedFilter): boolean {
  return filter.logic === 'AND'
    ? filter.clauses.every((clause) => matchesClause(record, clause))
    : filter.clauses.some((clause) => matchesClause(record, clause));
}
