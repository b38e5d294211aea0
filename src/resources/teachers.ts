/**
 * `/teachers` and its nested collection.
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
 * Users with the teacher role (`GET /teachers`, `GET /teachers/{sourcedId}`; the server answers
 * with `users` / `user`) and the classes of a teacher.
 *
 * @example
 * ```ts
 * const teacher = await client.teachers.get('t-1');
 * const classes = await client.teachers.listClasses(teacher.sourcedId).toArray();
 * ```
 */
export class TeachersResource extends CollectionResource<'users'> {
  /** @internal Created by `OneRosterClient`. */
  constructor(context: ResourceContext) {
    super(context, '/teachers', MODELS.users);
  }

  /**
   * The classes a teacher teaches (`GET /teachers/{teacherSourcedId}/classes`).
   *
   * @example
   * ```ts
   * for await (const cls of client.teachers.listClasses('t-1')) console.log(cls.title);
   * ```
   */
  listClasses<const P extends ListParams = ListParams>(
    teacherSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<Class, P>> {
    const path = `/teachers/${pathId('teacherSourcedId', teacherSourcedId)}/classes`;
    return this.paginate(path, MODELS.classes, params, options);
  }
}
