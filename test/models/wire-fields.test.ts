import { describe, expect, it } from 'vitest';
import { wireFields } from '../../src/models/projection';

describe('wireFields', () => {
  it('sends 1.1 users role and orgs for the normalised roles and primaryOrg', () => {
    expect(wireFields('users', '1.1', ['sourcedId', 'roles'])).toEqual([
      'sourcedId',
      'role',
      'orgs',
    ]);
    expect(wireFields('users', '1.1', ['primaryOrg'])).toEqual(['role', 'orgs']);
    expect(wireFields('users', '1.1', ['orgs', 'roles', 'primaryOrg', 'role'])).toEqual([
      'orgs',
      'role',
    ]);
  });

  it('keeps every other name, every other kind and every 1.2 name as asked', () => {
    expect(wireFields('users', '1.2', ['roles', 'primaryOrg'])).toEqual(['roles', 'primaryOrg']);
    expect(wireFields('enrollments', '1.1', ['roles', 'user'])).toEqual(['roles', 'user']);
    expect(wireFields('users', '1.1', ['email', 'x_vendor'])).toEqual(['email', 'x_vendor']);
  });
});
