/**
 * `/demographics`.
 *
 * @module
 */
import { CollectionResource } from './collection-resource';
import type { ResourceContext } from './context';
import { MODELS } from './models';

/**
 * Demographics records (`GET /demographics`, `GET /demographics/{sourcedId}`; both answer with
 * the `demographics` key). A record shares its sourcedId with its user. Servers usually require
 * a separate scope (`roster-demographics.readonly`) and answer 403 without it.
 *
 * @example
 * ```ts
 * const demographics = await client.demographics.get('u-1');
 * console.log(demographics.birthDate);
 * ```
 */
export class DemographicsResource extends CollectionResource<'demographics'> {
  /** @internal Created by `OneRosterClient`. */
  constructor(context: ResourceContext) {
    super(context, '/demographics', MODELS.demographics);
  }
}
