/**
 * `/students` and its nested collection.
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
 * Users with the student role (`GET /students`, `GET /students/{sourcedId}`; the server answers
 * with `users` / `user`) and the classes of a student. Whether "student" means the primary role
 * only or any role is up to the server; de-duplicate when combining with `/teachers`.
 *
 * @example
 * ```ts
 * const students = await client.students.list({ sort: 'familyName' }).toArray({ limit: 500 });
 * ```
 */
export class StudentsResource extends CollectionResource<'users'> {
  /** @internal Created by `OneRosterClient`. */
  constructor(context: ResourceContext) {
    super(context, '/students', MODELS.users);
  }

  /**
   * The classes of a student (`GET /students/{studentSourcedId}/classes`).
   *
   * @example
   * ```ts
   * for await (const cls of client.students.listClasses('u-1')) console.log(cls.title);
   * ```
   */
  listClasses<const P extends ListParams = ListParams>(
    studentSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<Class, P>> {
    const path = `/students/${pathId('studentSourcedId', studentSourcedId)}/classes`;
    return this.paginate(path, MODELS.classes, params, options);
  }
}
