/**
 * `/academicSessions`.
 *
 * @module
 */
import { CollectionResource } from './collection-resource';
import type { ResourceContext } from './context';
import { MODELS } from './models';

/**
 * Academic sessions of every type: school years, semesters, terms and grading periods
 * (`GET /academicSessions`, `GET /academicSessions/{sourcedId}`).
 *
 * @example
 * ```ts
 * const years = await client.academicSessions
 *   .list({ filter: filter.eq('type', 'schoolYear') })
 *   .toArray();
 * ```
 */
export class AcademicSessionsResource extends CollectionResource<'academicSessions'> {
  /** @internal Created by `OneRosterClient`. */
  constructor(context: ResourceContext) {
    super(context, '/academicSessions', MODELS.academicSessions);
  }
}
