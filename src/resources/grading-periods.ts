/**
 * `/gradingPeriods`.
 *
 * @module
 */
import { CollectionResource } from './collection-resource';
import type { ResourceContext } from './context';
import { MODELS } from './models';

/**
 * Academic sessions of type `gradingPeriod` (`GET /gradingPeriods`,
 * `GET /gradingPeriods/{sourcedId}`; the server answers with `academicSessions` /
 * `academicSession`).
 *
 * @example
 * ```ts
 * const period = await client.gradingPeriods.get('gp-1');
 * console.log(period.startDate, period.endDate);
 * ```
 */
export class GradingPeriodsResource extends CollectionResource<'academicSessions'> {
  /** @internal Created by `OneRosterClient`. */
  constructor(context: ResourceContext) {
    super(context, '/gradingPeriods', MODELS.academicSessions);
  }
}
