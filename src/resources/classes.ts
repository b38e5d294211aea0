/**
 * `/classes` and its nested collections.
 *
 * @module
 */
import type { User } from '../models/types';
import type { RequestOptions } from '../options';
import type { Paginator } from '../pagination';
import type { ListParams } from '../query';
import { CollectionResource } from './collection-resource';
import type { ResourceContext } from './context';
import { MODELS } from './models';
import { pathId } from './path';
import type { Selected } from './projection';

/**
 * Classes (`GET /classes`, `GET /classes/{sourcedId}`) and the students and teachers of a class.
 *
 * @example
 * ```ts
 * const cls = await client.classes.get('cls-1');
 * const students = await client.classes.listStudents(cls.sourcedId).toArray();
 * ```
 */
export class ClassesResource extends CollectionResource<'classes'> {
  /** @internal Created by `OneRosterClient`. */
  constructor(context: ResourceContext) {
    super(context, '/classes', MODELS.classes);
  }

  /**
   * The students of a class (`GET /classes/{classSourcedId}/students`).
   *
   * @example
   * ```ts
   * for await (const student of client.classes.listStudents('cls-1')) console.log(student.sourcedId);
   * ```
   */
  listStudents<const P extends ListParams = ListParams>(
    classSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<User, P>> {
    const path = `/classes/${pathId('classSourcedId', classSourcedId)}/students`;
    return this.paginate(path, MODELS.users, params, options);
  }

  /**
   * The teachers of a class (`GET /classes/{classSourcedId}/teachers`).
   *
   * @example
   * ```ts
   * const teachers = await client.classes.listTeachers('cls-1').toArray();
   * ```
   */
  listTeachers<const P extends ListParams = ListParams>(
    classSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<User, P>> {
    const path = `/classes/${pathId('classSourcedId', classSourcedId)}/teachers`;
    return this.paginate(path, MODELS.users, params, options);
  }
}
