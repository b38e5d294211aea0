/**
 * A small JSON Schema validator for the subset OpenAPI 3.0 documents use: `$ref` (local),
 * `type`, `required`, `properties`, `additionalProperties`, `items`, `minItems`/`maxItems`,
 * `enum`, `anyOf`/`oneOf`/`allOf`, `pattern`, and `format` (`date`, `date-time`, `uri`, checked
 * loosely). Written for the mock server's fidelity tests: it reports every violation with its
 * JSON path, so a failure says what is wrong and where.
 */

export type Schema = {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  pattern?: string;
  format?: string;
  [other: string]: unknown;
};

/** One violation. */
export interface SchemaIssue {
  path: string;
  message: string;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
// W3C/ISO 8601 date-time with a zone (the spec requires UTC designation).
const DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = typeOf(value);
  return actual === expected || (expected === 'number' && actual === 'integer');
}

function formatOk(format: string, value: string): boolean {
  switch (format) {
    case 'date':
      return DATE.test(value);
    case 'date-time':
      return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
    case 'uri':
      return URL.canParse(value);
    default:
      return true;
  }
}

/** Validates values against the schemas of one OpenAPI document. */
export class OpenApiValidator {
  readonly #document: Record<string, unknown>;
  readonly #patterns = new Map<string, RegExp>();

  constructor(document: Record<string, unknown>) {
    this.#document = document;
  }

  /** The schema a `#/...` reference points to. */
  resolve(ref: string): Schema {
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
    let node: unknown = this.#document;
    for (const part of ref.slice(2).split('/')) {
      node = (node as Record<string, unknown> | undefined)?.[
        part.replaceAll('~1', '/').replaceAll('~0', '~')
      ];
    }
    if (typeof node !== 'object' || node === null) throw new Error(`unresolved $ref ${ref}`);
    return node as Schema;
  }

  /** Every violation of `value` against `schema` (a schema object or a `#/...` reference). */
  validate(value: unknown, schema: Schema | string, path = '$'): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    this.#check(value, typeof schema === 'string' ? { $ref: schema } : schema, path, issues);
    return issues;
  }

  #check(value: unknown, schema: Schema, path: string, issues: SchemaIssue[]): void {
    if (schema.$ref !== undefined) {
      this.#check(value, this.resolve(schema.$ref), path, issues);
      return;
    }
    if (schema.allOf) for (const part of schema.allOf) this.#check(value, part, path, issues);
    if (schema.anyOf) {
      const ok = schema.anyOf.some((part) => this.validate(value, part, path).length === 0);
      if (!ok) issues.push({ path, message: 'matches none of anyOf' });
    }
    if (schema.oneOf) {
      const matches = schema.oneOf.filter((part) => this.validate(value, part, path).length === 0);
      if (matches.length !== 1) {
        issues.push({ path, message: `matches ${matches.length} of oneOf (exactly 1 required)` });
      }
    }
    if (schema.type !== undefined && !typeMatches(schema.type, value)) {
      issues.push({ path, message: `expected ${schema.type}, got ${typeOf(value)}` });
      return;
    }
    if (schema.enum !== undefined && !schema.enum.some((option) => option === value)) {
      issues.push({
        path,
        message: `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`,
      });
    }
    if (typeof value === 'string') {
      if (schema.format !== undefined && !formatOk(schema.format, value)) {
        issues.push({ path, message: `${JSON.stringify(value)} is not a valid ${schema.format}` });
      }
      if (schema.pattern !== undefined) {
        let re = this.#patterns.get(schema.pattern);
        if (!re) {
          re = new RegExp(schema.pattern, 'u');
          this.#patterns.set(schema.pattern, re);
        }
        if (!re.test(value)) {
          issues.push({
            path,
            message: `${JSON.stringify(value)} does not match /${schema.pattern}/`,
          });
        }
      }
    }
    if (Array.isArray(value)) {
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        issues.push({
          path,
          message: `has ${value.length} items, at least ${schema.minItems} required`,
        });
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        issues.push({
          path,
          message: `has ${value.length} items, at most ${schema.maxItems} allowed`,
        });
      }
      if (schema.items) {
        for (const [i, item] of value.entries())
          this.#check(item, schema.items, `${path}[${i}]`, issues);
      }
    }
    if (typeOf(value) === 'object') {
      const object = value as Record<string, unknown>;
      for (const name of schema.required ?? []) {
        if (!(name in object))
          issues.push({ path, message: `missing required property "${name}"` });
      }
      const properties = schema.properties ?? {};
      for (const [name, child] of Object.entries(object)) {
        const property = properties[name];
        if (property) {
          this.#check(child, property, `${path}.${name}`, issues);
        } else if (schema.additionalProperties === false) {
          issues.push({ path, message: `unexpected property "${name}"` });
        } else if (typeof schema.additionalProperties === 'object') {
          this.#check(child, schema.additionalProperties, `${path}.${name}`, issues);
        }
      }
    }
  }
}
