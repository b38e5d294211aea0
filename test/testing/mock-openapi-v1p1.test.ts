import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMockOneRoster, generateDistrict, mutate } from '../../src/testing';
import { fillPath, pathIds, rosteringOperations } from './fixtures';
import { OpenApiValidator } from './openapi-validate';

// 1.1 has no official machine-readable schema; this is the nearest (a derivative of the IMS
// 1.1 OpenAPI, see test/fixtures/oneroster-v1p1-openapi3-derived-strongmind.SOURCE.md).
const specFile = join(
  import.meta.dirname,
  '..',
  'fixtures',
  'oneroster-v1p1-openapi3-derived-strongmind.json.txt',
);
const specText = readFileSync(specFile, 'utf8');
const spec = JSON.parse(specText) as {
  paths: Record<
    string,
    {
      get: {
        responses: Record<
          string,
          { content: { 'application/json': { schema: { $ref: string } } } }
        >;
      };
    }
  >;
};
const validator = new OpenApiValidator(spec);

describe('mock server 1.1 responses validate against the 1.1 OpenAPI (derived)', () => {
  const dataset = generateDistrict({ seed: 11, schools: 2, studentsPerSchool: 30 });
  mutate(dataset, {
    seed: 1,
    add: 2,
    update: 0.1,
    markToBeDeleted: { users: 2, classes: 1 },
    moveEnrollments: 3,
  });
  const mock = createMockOneRoster({ dataset, version: '1.1', maxPageSize: 100_000 });
  const ids = pathIds(dataset);
  const operations = rosteringOperations('1.1');

  it('serves users whose dataset roles 1.1 lacks, so their rendering is validated too', () => {
    const roles = new Set(dataset.users.toArray().flatMap((u) => u.roles.map((r) => r.role)));
    expect([...roles]).toEqual(
      expect.arrayContaining(['siteAdministrator', 'districtAdministrator']),
    );
  });

  it('uses the pinned copy of the document', () => {
    expect(createHash('sha256').update(specText).digest('hex')).toBe(
      'de90cb03d2a5c3f23f60c2a27de5a0de0645ca81f4c79a19cb184e51d6ad2c9f',
    );
    expect(operations).toHaveLength(41);
  });

  it.each(operations.map((op) => [op.path] as const))('%s', async (template) => {
    const res = await mock.fetch(`${mock.baseUrl}${fillPath(template, ids)}?limit=100000`);
    expect(res.status).toBe(200);
    const ref = spec.paths[template]?.get.responses['200']?.content['application/json'].schema.$ref;
    expect(validator.validate(await res.json(), ref ?? '#/missing')).toEqual([]);
  });
});
