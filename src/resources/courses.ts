/**
 * `/courses` and its nested collection.
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
 * Courses (`GET /courses`, `GET /courses/{sourcedId}`) and the classes of a course.
 *
 * @example
 * ```ts
 * const course = await client.courses.get('c-1');
 * for await (const cls of client.courses.listClasses(course.sourcedId)) console.log(cls.title);
 * ```
 */
export class CoursesResource extends CollectionResource<'courses'> {
  /** @internal Created by `OneRosterClient`. */
  constructor(context: ResourceContext) {
    super(context, '/courses', MODELS.courses);
  }

  /**
   * The classes of a course (`GET /courses/{courseSourcedId}/classes`). An unknown course
   * rejects with `NotFoundError` rather than an empty list.
   *
   * @example
   * ```ts
   * const classes = await client.courses.listClasses('c-1').toArray();
   * ```
   */
  listClasses<const P extends ListParams = ListParams>(
    courseSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<Class, P>> {
    const path = `/courses/${pathId('courseSourcedId', courseSourcedId)}/classes`;
    return this.paginate(path, MODELS.classes, params, options);
  }
}
