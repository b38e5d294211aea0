/**
 * `/terms` and its nested collections.
 *
 * @module
 */
import type { AcademicSession, Class } from '../models/types';
import type { RequestOptions } from '../options';
import type { Paginator } from '../pagination';
import type { ListParams } from '../query';
import { CollectionResource } from './collection-resource';
import type { ResourceContext } from './context';
import { MODELS } from './models';
import { pathId } from './path';
import type { Selected } from './projection';

/**
 * Academic sessions of type `term` (`GET /terms`, `GET /terms/{sourcedId}`; the server answers
 * with `academicSessions` / `academicSession`), with the classes and grading periods of a term.
 *
 * @example
 * ```ts
 * for await (const term of client.terms.list()) {
 *   const periods = await client.terms.listGradingPeriods(term.sourcedId).toArray();
 *   console.log(term.title, periods.length);
 * }
 * ```
 */
export class TermsResource extends CollectionResource<'academicSessions'> {
  /** @internal Created by `OneRosterClient`. */
  constructor(context: ResourceContext) {
    super(context, '/terms', MODELS.academicSessions);
  }

  /**
   * The classes of a term (`GET /terms/{termSourcedId}/classes`).
   *
   * @example
   * ```ts
   * const classes = await client.terms.listClasses('term-1').toArray();
   * ```
   */
  listClasses<const P extends ListParams = ListParams>(
    termSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<Class, P>> {
    const path = `/terms/${pathId('termSourcedId', termSourcedId)}/classes`;
    return this.paginate(path, MODELS.classes, params, options);
  }

  /**
   * The grading periods of a term (`GET /terms/{termSourcedId}/gradingPeriods`).
   *
   * @example
   * ```ts
   * const periods = await client.terms.listGradingPeriods('term-1').toArray();
   * ```
   */
  listGradingPeriods<const P extends ListParams = ListParams>(
    termSourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<AcademicSession, P>> {
    const path = `/terms/${pathId('termSourcedId', termSourcedId)}/gradingPeriods`;
    return this.paginate(path, MODELS.academicSessions, params, options);
  }
}
