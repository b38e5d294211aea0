/**
 * The whole-record parser: `parseRecord`'s path for the common case, a valid record without
 * `null`s, done in one pass over the record's own keys. It checks and converts each field with the
 * steps of `./fast-path`, copies the record, applies the record rules and finishes it (the 1.1
 * user mapping included) and returns exactly what the general path (clean, fast check, finish)
 * returns for that record. Anything else (a `null`, an invalid or missing field, an odd object)
 * gives `undefined`, and `parseRecord` takes the general path, which decides and explains.
 *
 * Why a second path: the fast check reads every field of the schema by name (29 for users).
 * Records of one collection come in many shapes (optional fields present or not: 20 among the
 * users of one generated district), so each of those reads is a megamorphic lookup; here each key
 * the record has is read once, through `for...in`'s enum cache, and the copy is built with one
 * store site per field (each sees few shapes). It also makes one copy where the general path makes
 * two for 1.1 users (the fast check's copy, then one without `role` and `orgs`), and needs no
 * separate pass looking for top-level nulls. Measured on 1,000-user pages (bench/paging): about
 * 0.8 µs per record where the general path takes 2 µs.
 *
 * Only a record's own enumerable properties are read (what `JSON.parse` creates, and all that a
 * copy, `JSON.stringify` or storage would see); an object with another prototype than
 * `Object.prototype` takes the general path. `test/models/record-parser.test.ts` holds this
 * parser to the general path's results (valid or not, and the same record, key order included).
 *
 * @module
 */
import { type RecordRule, recordRules } from './checks';
import { generatedFieldSteps, INVALID, type StepField } from './fast-path';
import {
  addV1p1Roles,
  defaultEnabledUser,
  finishRecord,
  type Projection,
  requested,
  USER_NAME_ALIASES,
} from './normalize';
import type { ObjectPlan } from './plan';
import { attachRawToNew } from './raw';
import type { OneRosterVersion, Ref, SyncResource } from './types';

type Obj = Record<string, unknown>;

/** A normalised copy of a record, or `undefined` when the general path must decide. */
export type RecordParse = (raw: unknown) => Obj | undefined;

/** Fields a 1.1 user sends instead of `roles`: left out of the copy, then mapped. */
const V1P1_ROLE_FIELDS = ['role', 'orgs'];

/**
 * The `switch` over a record's keys: grouped by key length (a switch on the length, then a few
 * comparisons of internalized strings, which are pointer compares) rather than up to one
 * comparison per schema field for every key. Each known field is checked and converted by its
 * step; a field the rules read is also kept in a local (`q<i>`); a held field is left out of the
 * copy (once the loop has seen every key, they are mapped, or the record goes to the variant that
 * copies them in place).
 */
function keySwitch(
  fields: readonly StepField[],
  isTracked: (field: StepField) => boolean,
  held: readonly string[],
  reads: ReadonlySet<string>,
  refused: string[],
): string[] {
  const byLength = new Map<number, string[]>();
  const addCase = (key: string, body: string) => {
    const group = byLength.get(key.length) ?? [];
    group.push(`case ${JSON.stringify(key)}: ${body}`);
    byLength.set(key.length, group);
  };
  fields.forEach((field, i) => {
    const property = JSON.stringify(field.key);
    addCase(
      field.key,
      `n = s${i}(v); if (n === I) return undefined;` +
        (isTracked(field) ? ` p${i} = true;` : '') +
        (reads.has(field.key) ? ` q${i} = n;` : '') +
        (held.includes(field.key) ? ' continue;' : '') +
        // A store per field: each site sees few shapes (cheap), where one keyed store for every
        // key would see them all.
        ` o[${property}] = n;` +
        ' break;',
    );
  });
  for (const key of refused) addCase(key, 'return undefined;');
  // Any other key is kept as sent.
  const other = 'o[k] = v;';
  const lines = ['switch (k.length) {'];
  for (const [length, group] of byLength) {
    lines.push(`  case ${length}: switch (k) { ${group.join(' ')} default: ${other} } break;`);
  }
  lines.push(`  default: ${other}`, '}');
  return lines;
}

/**
 * A constructor of plain objects: what it builds has `Object.prototype` as its prototype and
 * `Object` as its `constructor`, prints, clones, spreads and serialises like an object literal.
 * Why not `{}`: V8 sizes a constructor's objects to the properties its first objects received
 * ("slack tracking"), so a record's fields are stored inline; an empty literal has room for 4 and
 * then grows a separate property store step by step, which doubled the garbage made per record
 * (measured on 1.1 users: 287 bytes per copy instead of 448, and a third faster). One constructor
 * per parser, so each kind's records get their own size. Named `Object` for heap snapshots and
 * debuggers, which show a constructor's name.
 */
function plainObjectConstructor(): new () => Obj {
  // A property named `Object` gives the function that name without shadowing the global.
  // biome-ignore lint/complexity/useArrowFunction: arrow functions cannot be constructors.
  const { Object: PlainObject } = { Object: function () {} };
  PlainObject.prototype = Object.prototype;
  return PlainObject as unknown as new () => Obj;
}

/** Whether the parser must know if the field was present (required, or filled in when absent). */
const tracked = (field: StepField) => !field.optional || field.hasDefault;

/**
 * The record rules, one call site each (so each can be inlined), on a view (`V`, one reused
 * object: no allocation per record, and one shape) holding the converted fields they read, from
 * the locals the key switch filled; it is emptied again so that it keeps no record alive.
 */
function ruleLines(rules: readonly RecordRule[], local: (key: string) => string): string[] {
  if (rules.length === 0) return [];
  const reads = [...new Set(rules.flatMap((rule) => rule.reads))];
  const fill = reads.map((key) => `V[${JSON.stringify(key)}] = ${local(key)};`);
  const empty = reads.map((key) => `V[${JSON.stringify(key)}] = undefined;`);
  return [
    fill.join(' '),
    `const ok = ${rules.map((_, i) => `r${i}(V)`).join(' && ')};`,
    empty.join(' '),
    'if (!ok) return undefined;',
  ];
}

/** The rules' view for one parser: the fields they read, in a fixed order (one map). */
function ruleView(rules: readonly RecordRule[]): Obj {
  const view: Obj = {};
  for (const rule of rules) for (const key of rule.reads) view[key] = undefined;
  return view;
}

/**
 * The whole-record parser of `kind` for `version` and `projection`, or `undefined` where code may
 * not be generated (zod's `jitless` mode, or a Content Security Policy refusing `new Function`).
 * The record it returns is linked to its raw record already.
 *
 * @example
 * ```ts
 * const parse = recordParser('users', '1.1', planFor('users', '1.1'), undefined);
 * parse?.(JSON.parse(body).users[0]); // the normalised user, or undefined
 * ```
 */
export function recordParser(
  kind: SyncResource,
  version: OneRosterVersion,
  plan: ObjectPlan,
  projection: Projection,
): RecordParse | undefined {
  // Users whose roles may come as 1.1 `role` + `orgs`: held out of the copy, then mapped when
  // the record has no `roles`. That is decided after the loop (reading `r.roles` first would be a
  // megamorphic lookup, and a miss, for every record); a record that has `roles` as well (rare)
  // is parsed again by a second parser that copies `role` and `orgs` where they are.
  if (kind === 'users' && V1P1_ROLE_FIELDS.every((key) => plan.byKey.has(key))) {
    const keep = generate(kind, version, plan, projection, false, undefined);
    return keep && generate(kind, version, plan, projection, true, keep);
  }
  return generate(kind, version, plan, projection, false, undefined);
}

/** {@link recordParser}'s code generation, holding `role` and `orgs` or not. */
function generate(
  kind: SyncResource,
  version: OneRosterVersion,
  plan: ObjectPlan,
  projection: Projection,
  mapsRoles: boolean,
  keep: RecordParse | undefined,
): RecordParse | undefined {
  const fields = generatedFieldSteps(plan, projection);
  if (fields === undefined) return undefined;
  const rules = recordRules(kind, version, projection);
  const held = mapsRoles ? V1P1_ROLE_FIELDS : [];
  const index = (key: string) => fields.findIndex((field) => field.key === key);
  // The `enabledUser` default is set here from a presence flag, rather than by reading the field
  // back from the copy (another megamorphic lookup) in `defaultEnabledUser`.
  const enabledIndex = kind === 'users' ? index('enabledUser') : -1;
  const isTracked = (field: StepField) =>
    tracked(field) || (enabledIndex !== -1 && field.key === 'enabledUser');
  // An own `__proto__` would set the copy's prototype when assigned; CSV-style name aliases are
  // rare: the general path handles both.
  const refused = ['__proto__', ...(kind === 'users' ? USER_NAME_ALIASES : [])];
  const flags = fields.flatMap((field, i) => (isTracked(field) ? [`p${i} = false`] : []));
  const reads = new Set(rules.flatMap((rule) => rule.reads));
  // Fields kept in locals: those the rules read, the held ones and, to decide the mapping, roles.
  const kept = new Set([...reads, ...held, ...(mapsRoles ? ['roles'] : [])]);
  // The converted value of a field the rules read (or that is held): a local of the key switch.
  const local = (key: string) =>
    index(key) === -1 ? `o[${JSON.stringify(key)}]` : `q${index(key)}`;
  const locals = [...kept].flatMap((key) => (index(key) === -1 ? [] : [`q${index(key)}`]));

  const lines = [
    'if (typeof r !== "object" || r === null || getPrototypeOf(r) !== OP) return undefined;',
    mapsRoles ? 'let m;' : 'const m = false;',
    `let ${['v', 'n', ...locals].join(', ')};`,
    flags.length > 0 ? `let ${flags.join(', ')};` : '',
    // Built key by key: with a store site per field this is faster than a spread copy, and it
    // can leave out `role` and `orgs` (measured: 1.2 users ~12% faster than spread and patch).
    'const o = new PlainObject();',
    // Linked first, on the fresh object: every record takes the same cached map transition.
    'attach(o, r);',
    'for (const k in r) {',
    '  v = r[k];',
    // Nulls are absent: the general path removes them first.
    '  if (v == null) return undefined;',
    ...keySwitch(fields, isTracked, held, kept, refused).map((line) => `  ${line}`),
    '}',
  ];
  fields.forEach((field, i) => {
    if (field.hasDefault) lines.push(`if (!p${i}) o[${JSON.stringify(field.key)}] = d${i};`);
    else if (!field.optional) lines.push(`if (!p${i}) return undefined;`);
  });
  if (mapsRoles) {
    // No `roles` and both held: map them. Neither held: nothing to map. One only: the general
    // path puts it back where it was.
    const [role, orgs] = V1P1_ROLE_FIELDS.map(local);
    lines.push(`m = ${local('roles')} === undefined;`);
    // With `roles` as well (rare): parse again, copying `role` and `orgs` where they are.
    lines.push(`if (!m && (${role} !== undefined || ${orgs} !== undefined)) return keep(r);`);
    lines.push(`if (m && (${role} === undefined) !== (${orgs} === undefined)) return undefined;`);
    lines.push(`if (m && ${role} === undefined) m = false;`);
    lines.push(...ruleLines(rules, local));
    lines.push(`if (m) roles(o, ${role}, ${orgs});`);
  } else {
    lines.push(...ruleLines(rules, local));
  }
  if (enabledIndex !== -1) {
    // `defaultEnabledUser`, last as there: `enabledUser` is `true` when absent and requested.
    if (requested(projection, 'enabledUser'))
      lines.push(`if (!p${enabledIndex}) o.enabledUser = true;`);
    lines.push('return o;');
  } else {
    // The finishers used here modify the record in place; a copy would have lost the raw link.
    lines.push('return finish(o) === o ? o : undefined;');
  }

  // What `finishRecord` still does once the loop has mapped 1.1 roles and refused name aliases.
  const finish =
    kind === 'users'
      ? (record: Obj): Obj => defaultEnabledUser(record, projection)
      : (record: Obj): Obj => finishRecord(kind, version, record, projection);
  const roles = (record: Obj, role: unknown, orgs: unknown): void =>
    addV1p1Roles(record, role as string, orgs as Ref[]);
  const bindings: [string, unknown][] = [
    ['PlainObject', plainObjectConstructor()],
    ['I', INVALID],
    ['OP', Object.prototype],
    ['getPrototypeOf', Object.getPrototypeOf],
    ['attach', attachRawToNew],
    ['roles', roles],
    ['finish', finish],
    ['keep', keep],
    ['V', ruleView(rules)],
    ...rules.map((rule, i): [string, unknown] => [`r${i}`, rule.valid]),
    ...fields.flatMap((field, i): [string, unknown][] => [
      [`s${i}`, field.step],
      [`d${i}`, field.defaultValue],
    ]),
  ];
  try {
    const factory = new Function(
      ...bindings.map(([name]) => name),
      `return function parse(r) {\n${lines.join('\n')}\n};`,
    );
    return factory(...bindings.map(([, value]) => value)) as RecordParse;
  } catch {
    return undefined;
  }
}
