/**
 * Our schemas against the OpenAPI documents:
 * - every `required` property of a model (and of the objects nested in it: roles, user ids,
 *   profiles, credentials, references) is required by ours, except the deliberate relaxations
 *   listed below;
 * - every property the document defines is a known field of ours (so it gets its checks and
 *   conversions), and every field of ours is defined by the document (no misspelt names);
 * - every enumerated value is recognised by our vocabularies.
 */
import { describe, expect, it } from 'vitest';
import { type ModelKind, parseRecord } from '../../src/models';
import { planFor } from '../../src/models/checks';
import { parseBoolean, parseStatus } from '../../src/models/coerce';
import type { ObjectPlan } from '../../src/models/plan';
import type { OneRosterVersion } from '../../src/models/types';
import {
  fixtureFor,
  loadSpec,
  MODEL_SCHEMAS,
  type OpenApiDocument,
  resolve,
  type SchemaNode,
} from './helpers/openapi';

/**
 * Required by the documents, optional in ours, on purpose (real servers omit them; see
 * src/models/README.md). Paths are `kind:path` with `*` for any array index; `ref` stands for
 * every reference.
 */
const RELAXED: Record<OneRosterVersion, readonly string[]> = {
  '1.2': [
    'orgs:identifier',
    'courses:courseCode',
    'classes:course',
    // Defaults to true when absent.
    'users:enabledUser',
    // GUIDRef: only sourcedId is reliable.
    'ref:href',
    'ref:type',
  ],
  '1.1': ['orgs:identifier', 'courses:courseCode', 'users:username', 'ref:href', 'ref:type'],
};

/** Fields of ours that a version's document does not define, on purpose. */
const EXTRA_FIELDS: Record<OneRosterVersion, readonly string[]> = {
  // 1.1 user fields accepted from 1.2 servers that still send them.
  '1.2': ['users:role', 'users:orgs'],
  // 1.2 user fields, accepted because ClassLink serves 1.2-shaped users on /v1p1.
  '1.1': [
    'users:userMasterIdentifier',
    'users:preferredFirstName',
    'users:preferredMiddleName',
    'users:preferredLastName',
    'users:pronouns',
    'users:roles',
    'users:primaryOrg',
    'users:userProfiles',
    'users:resources',
  ],
};

const isRef = (doc: OpenApiDocument, node: SchemaNode) => {
  const props = resolve(doc, node).properties ?? {};
  return 'href' in props && 'sourcedId' in props && 'type' in props;
};

interface Nested {
  /** Dotted path of the object inside the record (`''` for the record). */
  path: string;
  schema: SchemaNode;
  plan: ObjectPlan | undefined;
}

/** The record's schema and every object schema nested in it, with our matching plan. */
function nestedObjects(doc: OpenApiDocument, model: string, plan: ObjectPlan): Nested[] {
  const out: Nested[] = [];
  const walk = (path: string, node: SchemaNode, ours: ObjectPlan | undefined) => {
    const schema = resolve(doc, node);
    out.push({ path, schema, plan: ours });
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const resolved = resolve(doc, child);
      const element = ours?.byKey.get(key)?.element;
      const childPath = path ? `${path}.${key}` : key;
      if (resolved.type === 'array' && resolved.items) {
        const item = resolve(doc, resolved.items);
        if (item.properties) walk(`${childPath}.0`, item, element);
      } else if (resolved.properties) {
        walk(childPath, resolved, element);
      }
    }
  };
  walk('', { $ref: `#/components/schemas/${model}` }, plan);
  return out;
}

function get(target: unknown, path: string): Record<string, unknown> {
  let node = target;
  for (const part of path.split('.').filter(Boolean)) {
    node = (node as Record<string, unknown>)[part];
  }
  return node as Record<string, unknown>;
}

describe.each(['1.2', '1.1'] as const)(
  'OneRoster %s: our schemas against the OpenAPI',
  (version) => {
    const doc = loadSpec(version);
    const kinds = Object.keys(MODEL_SCHEMAS[version]) as ModelKind[];
    const relaxed = new Set(RELAXED[version]);

    it.each(kinds)(
      '%s: every required property is required by ours (except the relaxations)',
      (kind) => {
        const model = MODEL_SCHEMAS[version][kind];
        const missing: string[] = [];
        let checked = 0;
        for (const { path, schema } of nestedObjects(doc, model, planFor(kind, version))) {
          const ref = isRef(doc, schema);
          for (const property of schema.required ?? []) {
            const full = path ? `${path}.${property}` : property;
            const label = ref ? `ref:${property}` : `${kind}:${full.replace(/\.0\./g, '.*.')}`;
            if (relaxed.has(label)) continue;
            const fixture = fixtureFor(doc, { $ref: `#/components/schemas/${model}` }, 'all');
            delete get(fixture, path)[property];
            const result = parseRecord(kind, fixture, { version, mode: 'strict' });
            checked++;
            const paths = result.ok ? [] : result.error.issues.map((issue) => issue.path);
            if (!paths.includes(full)) missing.push(`${full} (got ${JSON.stringify(paths)})`);
          }
        }
        expect(missing).toEqual([]);
        expect(checked).toBeGreaterThan(0);
      },
    );

    it.each(kinds)('%s: the relaxed properties are indeed optional', (kind) => {
      const model = MODEL_SCHEMAS[version][kind];
      for (const label of relaxed) {
        const [scope, property] = label.split(':') as [string, string];
        if (scope !== kind) continue;
        const fixture = fixtureFor(doc, { $ref: `#/components/schemas/${model}` }, 'all') as Record<
          string,
          unknown
        >;
        delete fixture[property];
        const result = parseRecord(kind, fixture, { version, mode: 'strict' });
        expect(result.ok, label).toBe(true);
      }
    });

    it.each(kinds)('%s: every document property is a field of ours and vice versa', (kind) => {
      const model = MODEL_SCHEMAS[version][kind];
      const unknown: string[] = [];
      const undocumented: string[] = [];
      for (const { path, schema, plan } of nestedObjects(doc, model, planFor(kind, version))) {
        const documented = Object.keys(schema.properties ?? {});
        const ours = plan ? [...plan.byKey.keys()] : [];
        for (const key of documented) {
          if (!ours.includes(key)) unknown.push(path ? `${path}.${key}` : key);
        }
        for (const key of ours) {
          const label = `${kind}:${path ? `${path}.${key}` : key}`;
          if (!documented.includes(key) && !EXTRA_FIELDS[version].includes(label)) {
            undocumented.push(label);
          }
        }
      }
      expect(unknown).toEqual([]);
      expect(undocumented).toEqual([]);
    });

    it.each(kinds)('%s: every enumerated value is recognised', (kind) => {
      const model = MODEL_SCHEMAS[version][kind];
      const unrecognised: string[] = [];
      for (const { path, schema, plan } of nestedObjects(doc, model, planFor(kind, version))) {
        for (const [key, node] of Object.entries(schema.properties ?? {})) {
          const resolved = resolve(doc, node);
          const values = resolved.enum ?? resolved.anyOf?.find((n) => n.enum)?.enum ?? [];
          const meta = plan?.byKey.get(key)?.meta;
          for (const value of values) {
            // A value is recognised when its upper-case form is read back to the spec spelling.
            const shouted = value.toUpperCase();
            const read =
              meta?.kind === 'vocabulary'
                ? meta.normalize(shouted)
                : meta?.kind === 'status'
                  ? parseStatus(shouted)
                  : meta?.kind === 'boolean'
                    ? String(parseBoolean(shouted))
                    : // Reference `type`s: normalisation sets them from the field.
                      isRef(doc, schema) && key === 'type'
                      ? value
                      : undefined;
            if (read !== value) unrecognised.push(`${path ? `${path}.` : ''}${key}=${value}`);
          }
        }
      }
      expect(unrecognised).toEqual([]);
    });
  },
);
