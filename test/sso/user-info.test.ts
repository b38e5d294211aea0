import { describe, expect, test } from 'vitest';
import { parseClassLinkUserInfo } from '../../src/sso';

/** The documented sample of `/v2/my/info`, as ClassLink's docs show it. */
const documented = {
  UserId: 8708718,
  TenantId: 2,
  StateId: 44,
  StateName: 'Texas',
  BuildingId: 0,
  AuthenticationType: 1,
  DisplayName: 'Demo User',
  FirstName: 'Demo',
  LastName: 'User',
  Email: 'demo@classlink.test',
  LoginId: 'demoUser',
  ImagePath: '',
  LanguageId: 1,
  Language: 'English',
  DefaultTimeFormat: 0,
  Profile: 'Student',
  ProfileId: 4,
  Tenant: 'ClassLink Demo',
  Building: 'classlink.test',
  Role: 'Student',
  Role_Level: 4,
  LastAccessTime: '2024-01-01T00:00:00Z',
  OrgId: ['123'],
  SourcedId: '5678_T5678-0005',
};

describe('parseClassLinkUserInfo', () => {
  test('the documented shape', () => {
    const result = parseClassLinkUserInfo(documented);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user).toMatchObject({
      userId: '8708718',
      tenantId: '2',
      tenantName: 'ClassLink Demo',
      sourcedId: '5678_T5678-0005',
      loginId: 'demoUser',
      role: 'Student',
      roleLevel: 4,
      orgIds: ['123'],
    });
    expect(result.user.raw).toBe(documented);
  });

  test.each([
    [{ OrgId: [] }, []],
    [{ OrgId: '' }, []],
    [{ OrgId: 'a, b' }, ['a', 'b']],
    [{ OrgId: [7, '8'] }, ['7', '8']],
    [{ OrgId: null }, []],
    [{ OrgId: 12 }, ['12']],
    [{}, []],
  ])('OrgId %j becomes %j', (patch, expected) => {
    const body: Record<string, unknown> = { ...documented, ...patch };
    if (!('OrgId' in patch)) delete body.OrgId;
    const result = parseClassLinkUserInfo(body);
    expect(result.ok && result.user.orgIds).toEqual(expected);
  });

  test('string ids, snake_case and camelCase keys are all read', () => {
    const result = parseClassLinkUserInfo({
      user_id: '42',
      tenantId: '7',
      sourced_id: 'u-1',
      role_level: '3',
      login_id: 'x',
    });
    expect(result.ok && result.user).toMatchObject({
      userId: '42',
      tenantId: '7',
      sourcedId: 'u-1',
      roleLevel: 3,
      loginId: 'x',
    });
  });

  test('empty strings become absent values', () => {
    const result = parseClassLinkUserInfo({ ...documented, SourcedId: '', Email: '  ' });
    expect(result.ok && result.user.sourcedId).toBeUndefined();
    expect(result.ok && result.user.email).toBeUndefined();
  });

  test('missing or empty UserId/TenantId are issues naming the documented key', () => {
    const result = parseClassLinkUserInfo({ ...documented, TenantId: '', UserId: undefined });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.field).sort()).toEqual(['TenantId', 'UserId']);
    expect(JSON.stringify(result.issues)).not.toContain('demo@classlink.test');
  });

  test.each([null, 'text', [documented], 42])('%j is not a user', (body) => {
    expect(parseClassLinkUserInfo(body).ok).toBe(false);
  });

  test('booleans and objects in id fields are refused', () => {
    expect(parseClassLinkUserInfo({ UserId: true, TenantId: 2 }).ok).toBe(false);
    expect(parseClassLinkUserInfo({ UserId: 1, TenantId: { id: 2 } }).ok).toBe(false);
  });
});
