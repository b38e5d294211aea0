/**
 * `fields` projections: the server returns only the requested fields, so only those are required;
 * whatever is present is still checked and normalised.
 */
import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../src/models';

describe('fields projections', () => {
  it('requires only the requested fields', () => {
    const result = parseRecord(
      'users',
      { sourcedId: 'u-1', givenName: 'Ana' },
      { version: '1.2', mode: 'strict', fields: ['sourcedId', 'givenName'] },
    );
    expect(result.ok && result.record).toStrictEqual({ sourcedId: 'u-1', givenName: 'Ana' });
  });

  it('does not require sourcedId unless it was requested', () => {
    const fields = ['givenName', 'familyName'];
    expect(
      parseRecord(
        'users',
        { givenName: 'A', familyName: 'B' },
        { version: '1.2', mode: 'strict', fields },
      ).ok,
    ).toBe(true);
    const without = parseRecord(
      'users',
      { givenName: 'A' },
      {
        version: '1.2',
        mode: 'strict',
        fields: ['sourcedId', 'givenName'],
      },
    );
    expect(!without.ok && without.error.issues.map((i) => i.path)).toEqual(['sourcedId']);
  });

  it('still checks and normalises the fields that are present', () => {
    const bad = parseRecord(
      'enrollments',
      { sourcedId: 'e-1', dateLastModified: 'never' },
      { version: '1.2', mode: 'strict', fields: ['sourcedId'] },
    );
    expect(!bad.ok && bad.error.issues.map((i) => i.path)).toEqual(['dateLastModified']);
    const good = parseRecord(
      'enrollments',
      { sourcedId: 'e-1', primary: 'true', user: { sourcedId: 'u-1' }, status: 'inactive' },
      { version: '1.2', mode: 'strict', fields: ['sourcedId', 'primary', 'user', 'status'] },
    );
    expect(good.ok && good.record).toStrictEqual({
      sourcedId: 'e-1',
      primary: true,
      user: { sourcedId: 'u-1', type: 'user' },
      status: 'tobedeleted',
    });
  });

  it('requires roles only when they were requested, and adds no defaults for fields not asked for', () => {
    const noRoles = parseRecord(
      'users',
      { sourcedId: 'u-1' },
      { version: '1.2', mode: 'strict', fields: ['sourcedId'] },
    );
    expect(noRoles.ok && noRoles.record).toStrictEqual({ sourcedId: 'u-1' });
    const rolesAsked = parseRecord(
      'users',
      { sourcedId: 'u-1', roles: [] },
      { version: '1.2', mode: 'strict', fields: ['sourcedId', 'roles'] },
    );
    expect(!rolesAsked.ok && rolesAsked.error.issues.map((i) => i.path)).toEqual(['roles']);
    const enabled = parseRecord(
      'users',
      { sourcedId: 'u-1' },
      { version: '1.1', mode: 'strict', fields: ['sourcedId', 'enabledUser'] },
    );
    expect(enabled.ok && enabled.record.enabledUser).toBe(true);
  });

  it('maps 1.1 role + orgs when both were requested', () => {
    const result = parseRecord(
      'users',
      { sourcedId: 'u-1', role: 'teacher', orgs: [{ sourcedId: 's-1' }] },
      { version: '1.1', mode: 'strict', fields: ['sourcedId', 'role', 'orgs'] },
    );
    expect(result.ok && result.record).toStrictEqual({
      sourcedId: 'u-1',
      roles: [{ roleType: 'primary', role: 'teacher', org: { sourcedId: 's-1', type: 'org' } }],
      primaryOrg: { sourcedId: 's-1', type: 'org' },
    });
    const onlyRole = parseRecord(
      'users',
      { sourcedId: 'u-1', role: 'teacher' },
      { version: '1.1', mode: 'strict', fields: ['sourcedId', 'role', 'orgs'] },
    );
    expect(!onlyRole.ok && onlyRole.error.issues.map((i) => i.path)).toEqual(['orgs']);
  });

  it('1.1 classes get default terms only when terms were requested', () => {
    const asked = parseRecord(
      'classes',
      { sourcedId: 'c-1' },
      { version: '1.1', mode: 'strict', fields: ['sourcedId', 'terms'] },
    );
    expect(asked.ok && asked.record).toStrictEqual({ sourcedId: 'c-1', terms: [] });
    const notAsked = parseRecord(
      'classes',
      { sourcedId: 'c-1' },
      { version: '1.1', mode: 'off', fields: ['sourcedId'] },
    );
    expect(notAsked.ok && notAsked.record).toStrictEqual({ sourcedId: 'c-1' });
  });

  it('handles more distinct field lists than the cache holds', () => {
    // Just past the cache bound (200), so eviction runs.
    for (let i = 0; i < 205; i++) {
      const fields = ['sourcedId', `extra${i}`];
      const result = parseRecord(
        'orgs',
        { sourcedId: `o-${i}` },
        { version: '1.2', mode: 'strict', fields },
      );
      expect(result.ok).toBe(true);
    }
    const again = parseRecord(
      'orgs',
      { sourcedId: 'o' },
      { version: '1.2', mode: 'strict', fields: ['sourcedId', 'extra0'] },
    );
    expect(again.ok).toBe(true);
  });
});
