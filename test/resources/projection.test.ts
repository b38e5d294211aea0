/**
 * `fields` narrows record types. These assertions are checked by `tsc -p .` (the test files are
 * part of the project); at run time the test only checks that projected records come back.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Class, User } from '../../src/models/types';
import type { Paginator } from '../../src/pagination';
import { createResources } from '../../src/resources';
import type { Projected } from '../../src/resources/projection';
import { contextFor, fakeTransport } from './fake-transport';

const resources = createResources(
  contextFor(
    fakeTransport((url) => {
      const first = (url.searchParams.get('offset') ?? '0') === '0';
      return {
        body: {
          users: first ? [{ sourcedId: 'u-1', givenName: 'Ada' }] : [],
          user: { sourcedId: 'u-1', email: 'a@x.test' },
          classes: first ? [{ sourcedId: 'c-1', title: 'Math' }] : [],
        },
      };
    }),
    { validation: 'off' },
  ),
);

describe('fields projections', () => {
  it('narrow list() records to the requested fields', async () => {
    const paginator = resources.users.list({ fields: ['sourcedId', 'givenName'] });
    expectTypeOf(paginator).toEqualTypeOf<Paginator<Projected<User, 'sourcedId' | 'givenName'>>>();
    const page = await paginator;
    const user = page.items[0];
    expectTypeOf(user?.givenName).toEqualTypeOf<string | undefined>();
    // @ts-expect-error roles was not requested
    user?.roles;
    expect(user?.givenName).toBe('Ada');
  });

  it('keep optional fields optional and type vendor fields as unknown', async () => {
    const user = await resources.users.get('u-1', { fields: ['email', 'x_vendor'] });
    expectTypeOf(user.email).toEqualTypeOf<string | undefined>();
    expectTypeOf(user.x_vendor).toEqualTypeOf<unknown>();
    expect(user.email).toBe('a@x.test');
  });

  it('narrow nested collections', async () => {
    const classes = await resources.schools
      .listClasses('s-1', { fields: ['sourcedId', 'title'] })
      .toArray();
    expectTypeOf(classes).toEqualTypeOf<Projected<Class, 'sourcedId' | 'title'>[]>();
    expect(classes[0]?.title).toBe('Math');
  });

  it('leave the full type without fields, with a fields string or a string[] variable', () => {
    expectTypeOf(resources.users.list()).toEqualTypeOf<Paginator<User>>();
    expectTypeOf(resources.users.list({ fields: 'sourcedId,givenName' })).toEqualTypeOf<
      Paginator<User>
    >();
    const fields: string[] = ['sourcedId'];
    expectTypeOf(resources.users.list({ fields })).toEqualTypeOf<Paginator<User>>();
    expectTypeOf(resources.classes.listStudents('c-1', { sort: 'familyName' })).toEqualTypeOf<
      Paginator<User>
    >();
  });
});
