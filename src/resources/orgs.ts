/**
 * `/orgs`.
 *
 * @module
 */
import { CollectionResource } from './collection-resource';
import type { ResourceContext } from './context';
import { MODELS } from './models';

/**
 * Organisations of every type: districts, schools, departments, states (`GET /orgs`,
 * `GET /orgs/{sourcedId}`).
 *
 * @example
 * ```ts
 * for await (const org of client.orgs.list({ filter: filter.eq('type', 'district') })) {
 *   console.log(org.name);
 * }
 * ```
 */
export class OrgsResource extends CollectionResource<'orgs'> {
  /** @internal Created by `OneRosterClient`. */
  constructor(context: ResourceContext) {
    super(context, '/orgs', MODELS.orgs);
  }
}
