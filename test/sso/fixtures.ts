import { type ClassLinkSsoOptions, createClassLinkSso } from '../../src/sso';
import {
  createMockClassLink,
  type MockClassLinkOptions,
  type MockClassLinkUser,
} from '../../src/testing/classlink';

export const ADA: MockClassLinkUser = {
  loginId: 'ada.lovelace',
  tenantId: 2,
  userId: 8708718,
  sourcedId: 'stu-1',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@district.test',
  role: 'Student',
  orgIds: ['school-1'],
  password: 'analytical',
};

export const GRACE: MockClassLinkUser = {
  loginId: 'grace.hopper',
  tenantId: 2,
  sourcedId: 'tea-1',
  firstName: 'Grace',
  lastName: 'Hopper',
  role: 'Teacher',
};

/** A mock ClassLink with one demo tenant and two users, and an SSO helper pointed at it. */
export function setup(
  ssoOptions: Partial<ClassLinkSsoOptions> = {},
  mockOptions: MockClassLinkOptions = {},
) {
  const mock = createMockClassLink({
    tenants: [{ tenantId: 2, name: 'ClassLink Demo' }],
    users: [ADA, GRACE],
    ...mockOptions,
  });
  const sso = createClassLinkSso({ ...mock.ssoOptions(), ...ssoOptions });
  return { mock, sso };
}

/** Run a whole SP-initiated login and return what the app would hold. */
export async function spLogin({ mock, sso }: ReturnType<typeof setup>, loginId = ADA.loginId) {
  const start = await sso.authorizationUrl();
  const callback = mock.login(start.url, loginId);
  return { start, callback };
}
