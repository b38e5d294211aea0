/**
 * `/users` and its nested collection.
 *
 * @module
 */
import type { Class } from '../models/types';
import type { RequestOptions } from '../options';
import type { Paginator } from '../pagination';
import type { ListParams } from '../query';
import { CollectionResource } from './collection-resource';
import type { ResourceContext } from './context';
import { MODELS } from './models';
import { pathId } from './path';
import type { Selected } from './projection';

/**
 * Users of every role (`GET /users`, `GET /users/{sourcedId}`) and the classes of a user.
 * Records come normalised to the 1.2 shape whatever the server's version (`roles[]`,
 * `primaryOrg`, real booleans).
 *
 * @example
 * ```ts
 * for await (const user of client.users.list({ filter: filter.eq('role', 'teacher') })) {
 *   console.log(user.givenName, user.roles[0]?.org.sourcedId);
 * }
 * ```
 */
export class UsersResource extends CollectionResource<'users'> {
  /** @internal Created by `OneRosterClient`. */
  constructor(context: ResourceContext) {
    super(context, '/users', MODELS.users);
  }

  /**
   * The classes a user is enrolled in or teaches (`GET /users/{userSourcedId}/classes`).
   *
   * @example
   * ```ts
   * const classes = await client.users.listClasses('u-1').toArray();
   * ```
   */
  listClasses<const P extends ListParams = ListParams>(
    userSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<Class, P>> {
    const path = `/users/${pathId('userSourcedId', userSourcedId)}/classes`;
    return this.paginate(path, MODELS.classes, params, options);
  }
}
