import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMockOneRoster, generateDistrict, mutate } from '../../src/testing';
import { fillPath, pathIds, rosteringOperations } from './fixtures';
import { OpenApiValidator } from './openapi-validate';

// Every 1.2 endpoint's 200 body, and the error bodies, checked against the official 1EdTech
// OpenAPI document (a byte-identical copy in test/fixtures, see its SOURCE.md).
const specFile = join(
  import.meta.dirname,
  '..',
  'fixtures',
  'oneroster-v1p2-rostering-openapi3.json.txt',
);
const specText = readFileSync(specFile, 'utf8');
const spec = JSON.parse(specText) as Record<string, unknown>;
const validator = new OpenApiValidator(spec);

function schemaOf(path: string, status: string): string {
  const paths = spec.paths as Record<string, { get: { responses: Record<string, unknown> } }>;
  const response = paths[path]?.get.responses[status] as
    | { content: { 'application/json': { schema: { $ref: string } } } }
    | undefined;
  const ref = response?.content['application/json'].schema.$ref;
  if (!ref) throw new Error(`no ${status} schema for ${path}`);
  return ref;
}

describe('mock server 1.2 responses validate against the official OpenAPI', () => {
  const dataset = generateDistrict({ seed: 11, schools: 2, studentsPerSchool: 30 });
  // Tombstones, moved and new records must validate too.
  mutate(dataset, {
    seed: 1,
    add: 2,
    update: 0.1,
    markToBeDeleted: { users: 2, classes: 1 },
    moveEnrollments: 3,
  });
  const mock = createMockOneRoster({ dataset, version: '1.2' });
  const ids = pathIds(dataset);
  const operations = rosteringOperations('1.2');

  it('uses the pinned copy of the specification', () => {
    expect(createHash('sha256').update(specText).digest('hex')).toBe(
      '06cafc2234ae1cdc58a2fe8ea03a8e0a5bf57d0e39830468d9adf7cc16acd26f',
    );
    expect(operations).toHaveLength(41);
  });

  it.each(operations.map((op) => [op.path, op] as const))('%s', async (template, op) => {
    const res = await mock.fetch(`${mock.baseUrl}${fillPath(template, ids)}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    const key = op.responseWrapperKey as string;
    expect(Object.keys(body)).toEqual([key]);
    const payload = body[key];
    if (Array.isArray(payload)) expect(payload.length).toBeGreaterThan(0);
    expect(validator.validate(body, schemaOf(template, '200'))).toEqual([]);
  });

  it('catches a defective record (the check can fail)', async () => {
    const broken = createMockOneRoster({
      dataset,
      version: '1.2',
      faults: [{ kind: 'invalid-record', path: '/users', field: 'enabledUser', value: true }],
    });
    const res = await broken.fetch(`${broken.baseUrl}/users?limit=3`);
    const issues = validator.validate(await res.json(), schemaOf('/users', '200'));
    expect(issues).toEqual([
      { path: '$.users[1].enabledUser', message: 'expected string, got boolean' },
    ]);
  });

  describe('error bodies are imsx_StatusInfoDType', () => {
    let statusSchema: string;
    beforeAll(() => {
      statusSchema = schemaOf('/users/{sourcedId}', '404');
    });

    it.each([
      ['/users/nobody', 404, 'unknownobject'],
      ['/users?filter=nickname%3D%27x%27', 400, 'invalid_filter_field'],
      ['/users?fields=nickname', 400, 'invalid_selection_field'],
      ['/users?limit=abc', 400, 'invaliddata'],
    ])('%s -> %i %s', async (path, status, minor) => {
      const res = await mock.fetch(`${mock.baseUrl}${path}`);
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(validator.validate(body, statusSchema)).toEqual([]);
      expect(body).toMatchObject({
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
        imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldValue: minor }] },
      });
    });

    it('401 and 403 from OAuth 2', async () => {
      const secured = createMockOneRoster({
        dataset,
        version: '1.2',
        auth: {
          type: 'oauth2',
          clients: { app: { secret: 's3cret', scopes: ['roster-core.readonly'] } },
        },
      });
      const unauthorised = await secured.fetch(`${secured.baseUrl}/users`);
      expect(unauthorised.status).toBe(401);
      expect(validator.validate(await unauthorised.json(), statusSchema)).toEqual([]);
      const token = await secured.fetch(secured.tokenUrl as string, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from('app:s3cret').toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      const { access_token } = (await token.json()) as { access_token: string };
      const forbidden = await secured.fetch(`${secured.baseUrl}/demographics`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      expect(forbidden.status).toBe(403);
      expect(validator.validate(await forbidden.json(), statusSchema)).toEqual([]);
    });
  });
});
