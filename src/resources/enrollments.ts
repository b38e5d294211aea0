/**
 * `/enrollments`.
 *
 * @module
 */
import { CollectionResource } from './collection-resource';
import type { ResourceContext } from './context';
import { MODELS } from './models';

/**
 * Enrollments of users in classes (`GET /enrollments`, `GET /enrollments/{sourcedId}`).
 *
 * @example
 * ```ts
 * for await (const page of client.enrollments.list().pages()) {
 *   console.log(page.items.length, 'of', page.totalCount);
 * }
 * ```
 */
export class EnrollmentsResource extends CollectionResource<'enrollments'> {
  /** @internal Created by `OneRosterClient`. */
  constructor(context: ResourceContext) {
    super(context, '/enrollments', MODELS.enrollments);
  }
}
