import { describe, expect, it } from 'vitest';
import { OpenApiValidator, type Schema } from './openapi-validate';

// The validator decides whether the mock passes its fidelity tests, so it is tested on its own:
// a validator that accepts everything would make those tests meaningless.
const document = {
  components: {
    schemas: {
      Ref: {
        type: 'object',
        properties: {
          href: { type: 'string', format: 'uri' },
          sourcedId: { type: 'string' },
          type: { type: 'string', enum: ['org'] },
        },
        required: ['href', 'sourcedId', 'type'],
        additionalProperties: false,
      },
      Role: {
        anyOf: [
          { type: 'string', enum: ['student', 'teacher'] },
          { type: 'string', pattern: '(ext:)[a-zA-Z0-9\\.\\-_]+' },
        ],
      },
      Thing: {
        allOf: [
          { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
          {
            type: 'object',
            properties: {
              when: { type: 'string', format: 'date-time' },
              day: { type: 'string', format: 'date' },
              roles: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/Role' } },
              org: { $ref: '#/components/schemas/Ref' },
              count: { type: 'integer' },
              either: { oneOf: [{ type: 'string' }, { type: 'integer' }, { type: 'number' }] },
            },
          },
        ],
      },
    },
  },
};

const validator = new OpenApiValidator(document);
const thing = '#/components/schemas/Thing';

describe('OpenApiValidator', () => {
  it('accepts a valid value', () => {
    const value = {
      id: 'x',
      when: '2024-01-01T10:00:00.000Z',
      day: '2024-02-29',
      roles: ['student', 'ext:coach'],
      org: { href: 'https://x.test/orgs/1', sourcedId: '1', type: 'org' },
      count: 3,
      either: 'text',
    };
    expect(validator.validate(value, thing)).toEqual([]);
  });

  it.each([
    [{}, 'missing required property "id"'],
    [{ id: 1 }, 'expected string, got integer'],
    [{ id: 'x', when: '2024-01-01 10:00' }, 'is not a valid date-time'],
    [{ id: 'x', when: '2024-01-01T10:00:00' }, 'is not a valid date-time'],
    [{ id: 'x', day: '2024-13-01' }, 'is not a valid date'],
    [{ id: 'x', roles: [] }, 'at least 1 required'],
    [{ id: 'x', roles: ['boss'] }, 'matches none of anyOf'],
    [{ id: 'x', org: { href: 'https://x.test/o', sourcedId: '1', type: 'user' } }, 'is not one of'],
    [{ id: 'x', org: { href: 'not a uri', sourcedId: '1', type: 'org' } }, 'is not a valid uri'],
    [
      { id: 'x', org: { href: 'https://x.test', sourcedId: '1', type: 'org', extra: 1 } },
      'unexpected property "extra"',
    ],
    [{ id: 'x', count: 1.5 }, 'expected integer, got number'],
    // 3 is both an integer and a number: oneOf needs exactly one match.
    [{ id: 'x', either: 3 }, 'matches 2 of oneOf'],
  ])('rejects %j', (value, message) => {
    const issues = validator.validate(value, thing);
    expect(issues.map((i) => i.message).join('\n')).toContain(message);
  });

  it('reports paths', () => {
    const issues = validator.validate({ id: 'x', roles: ['student', 'boss'] }, thing);
    expect(issues).toEqual([{ path: '$.roles[1]', message: 'matches none of anyOf' }]);
  });

  it('fails loudly on a reference it cannot resolve', () => {
    const broken: Schema = { $ref: '#/components/schemas/Nope' };
    expect(() => validator.validate({}, broken)).toThrow(/unresolved/);
  });
});
