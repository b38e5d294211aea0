/**
 * Reading the official OpenAPI documents: schema resolution, example discovery, and fixtures built
 * from a schema (for models the documents give no example for).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelKind } from '../../../src/models';
import type { OneRosterVersion } from '../../../src/models/types';

/** A JSON Schema node as found in the OpenAPI documents. */
export interface SchemaNode {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: string[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  minItems?: number;
  example?: unknown;
  examples?: unknown;
}

export interface OpenApiDocument {
  paths: Record<string, unknown>;
  components: { schemas: Record<string, SchemaNode> };
}

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Byte-identical copies of `shared/spec` documents kept in the repository (see their SOURCE.md). */
export const SPECS = {
  '1.2': join(ROOT, 'test/fixtures/oneroster-v1p2-rostering-openapi3.json.txt'),
  '1.1': join(ROOT, 'test/fixtures/oneroster-v1p1-openapi3-derived-strongmind.json.txt'),
} as const;

/** The schema of each model in each version's document. */
export const MODEL_SCHEMAS: Record<OneRosterVersion, Record<ModelKind, string>> = {
  '1.2': {
    orgs: 'OrgDType',
    academicSessions: 'AcademicSessionDType',
    courses: 'CourseDType',
    classes: 'ClassDType',
    users: 'UserDType',
    enrollments: 'EnrollmentDType',
    demographics: 'DemographicsDType',
  },
  '1.1': {
    orgs: 'Org.Type',
    academicSessions: 'AcademicSession.Type',
    courses: 'Course.Type',
    classes: 'Class.Type',
    users: 'User.Type',
    enrollments: 'Enrollment.Type',
    demographics: 'Demographic.Type',
  },
};

/** Load the rostering OpenAPI document of a version. */
export function loadSpec(version: keyof typeof SPECS): OpenApiDocument {
  return JSON.parse(readFileSync(SPECS[version], 'utf8')) as OpenApiDocument;
}

/** The schema a `$ref` points to, with `allOf` parts merged (1.1 composes models that way). */
export function resolve(doc: OpenApiDocument, node: SchemaNode): SchemaNode {
  if (node.$ref) {
    const name = node.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) throw new Error(`unresolvable $ref ${node.$ref}`);
    return resolve(doc, target);
  }
  if (node.allOf) {
    const parts = node.allOf.map((part) => resolve(doc, part));
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
      required: parts.flatMap((p) => p.required ?? []),
    };
  }
  return node;
}

/** Every `example`/`examples` value in the document, with where it was found. */
export function findExamples(doc: unknown): Array<{ at: string; value: unknown }> {
  const found: Array<{ at: string; value: unknown }> = [];
  const walk = (node: unknown, at: string) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'example') found.push({ at: `${at}.example`, value });
      else if (key === 'examples' && typeof value === 'object' && value !== null) {
        // OpenAPI `examples` maps names to Example objects holding a `value`.
        for (const [name, example] of Object.entries(value)) {
          const inner = (example as { value?: unknown }).value ?? example;
          found.push({ at: `${at}.examples.${name}`, value: inner });
        }
      }
      walk(value, `${at}.${key}`);
    }
  };
  walk(doc, '');
  return found;
}

/**
 * A value valid for `node`: every property (`all`) or only the required ones, the first enum value,
 * plausible strings for formats, one array item (or `minItems`).
 */
export function fixtureFor(
  doc: OpenApiDocument,
  node: SchemaNode,
  mode: 'all' | 'required',
  name = 'value',
): unknown {
  const schema = resolve(doc, node);
  if (schema.anyOf) return fixtureFor(doc, schema.anyOf[0] as SchemaNode, mode, name);
  if (schema.enum) return schema.enum[0];
  if (schema.properties || schema.type === 'object') {
    const out: Record<string, unknown> = {};
    const required = new Set(schema.required ?? []);
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      if (mode === 'all' || required.has(key)) out[key] = fixtureFor(doc, child, mode, key);
    }
    return out;
  }
  switch (schema.type) {
    case 'array': {
      const count = Math.max(schema.minItems ?? 0, 1);
      return Array.from({ length: count }, () => fixtureFor(doc, schema.items ?? {}, mode, name));
    }
    case 'boolean':
      return true;
    case 'number':
    case 'integer':
      return 1;
    default:
      if (schema.format === 'date-time') return '2024-09-01T12:00:00.000Z';
      if (schema.format === 'date') return '2024-09-01';
      if (schema.format === 'uri') return `https://example.org/${name}`;
      return `${name}-1`;
  }
}
