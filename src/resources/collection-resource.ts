/**
 * The one generic resource implementation: list a collection (a {@link Paginator}), get one
 * record, and list a nested collection. Each resource file is a small declaration on top.
 *
 * @module
 */

import type { QueryParams } from '../http/types';
import type { ModelKind } from '../models';
import { wireFields } from '../models/projection';
import type { RecordTypes } from '../models/types';
import type { RequestOptions } from '../options';
import { type AcceptedRecords, type PageSource, Paginator } from '../pagination';
import { type GetParams, type ListParams, toGetQueryParams, toQueryParams } from '../query';
import { checkRequestOptions } from './checks';
import type { ResourceContext } from './context';
import type { ModelSpec } from './models';
import { pathId } from './path';
import type { Selected } from './projection';
import { createRecordAcceptor } from './records';
import { readCollection, readSingle } from './response';

/**
 * Base of every resource: `list()` and `get()` on `/<path>` and `/<path>/{sourcedId}`.
 *
 * @example
 * ```ts
 * for await (const org of client.orgs.list()) console.log(org.name);
 * const org = await client.orgs.get('org-1');
 * ```
 */
export abstract class CollectionResource<K extends ModelKind> {
  readonly #context: ResourceContext;
  readonly #path: string;
  readonly #model: ModelSpec<K>;

  /**
   * @param path The collection path under the base URL, e.g. `/users`.
   * @param model The record kind and wrapper keys of this collection.
   */
  protected constructor(context: ResourceContext, path: string, model: ModelSpec<K>) {
    this.#context = context;
    this.#path = path;
    this.#model = model;
  }

  /**
   * Every record of the collection, paged. Nothing is requested until the result is awaited (the
   * first page) or iterated (every record).
   *
   * @throws {ConfigurationError} at once for invalid `params` or `options`.
   *
   * @example
   * ```ts
   * for await (const record of client.users.list({ filter: filter.eq('status', 'active') })) {}
   * ```
   */
  list<const P extends ListParams = ListParams>(
    params?: P,
    options?: RequestOptions,
  ): Paginator<Selected<RecordTypes[K], P>> {
    return this.paginate(this.#path, this.#model, params, options);
  }

  /**
   * One record by its sourcedId.
   *
   * @throws {NotFoundError} when the server does not know the sourcedId.
   * @throws {ValidationError} when the record is invalid and validation is `strict` or `lenient`
   * (there is nothing to skip for a single record; use `validation: 'off'` to receive it anyway).
   * @throws {ConfigurationError} for an empty sourcedId or invalid `params`/`options`.
   *
   * @example
   * ```ts
   * const record = await client.users.get('u-1', { fields: ['sourcedId', 'email'] });
   * ```
   */
  async get<const P extends GetParams = GetParams>(
    sourcedId: string,
    params?: P,
    options?: RequestOptions,
  ): Promise<Selected<RecordTypes[K], P>> {
    const path = `${this.#path}/${pathId('sourcedId', sourcedId)}`;
    const query = inWireNames(toGetQueryParams(params), this.#model.kind, this.#context);
    const call = checkRequestOptions(options);
    const accept = createRecordAcceptor(this.#context, this.#model.kind, {
      mode: call.validation ?? this.#context.validation,
      fields: query.fields as readonly string[] | undefined,
      onEvent: call.onEvent,
    });
    const response = await this.#context.transport.get({
      path,
      query,
      signal: call.signal,
      timeout: call.timeout,
      headers: call.headers,
      onEvent: call.onEvent,
    });
    // The projection narrows the type only; the record is the one the server sent, normalised.
    return accept.one(readSingle(response, this.#model.singular)) as Selected<RecordTypes[K], P>;
  }

  /**
   * List the collection at `path` (a nested collection such as `/schools/{id}/classes`).
   * Ids in `path` must already be encoded with {@link pathId}.
   */
  protected paginate<C extends ModelKind, P extends ListParams>(
    path: string,
    model: ModelSpec<C>,
    params: P | undefined,
    options: RequestOptions | undefined,
  ): Paginator<Selected<RecordTypes[C], P>> {
    const context = this.#context;
    const query = inWireNames(
      toQueryParams(params, { pageSize: context.pageSize }),
      model.kind,
      context,
    );
    const call = checkRequestOptions(options);
    const accept = createRecordAcceptor(context, model.kind, {
      mode: call.validation ?? context.validation,
      fields: query.fields as readonly string[] | undefined,
      onEvent: call.onEvent,
    });
    const source: PageSource<Selected<RecordTypes[C], P>> = {
      offset: query.offset as number,
      limit: query.limit as number,
      maxPages: context.maxPages,
      prefetch: context.prefetch,
      signal: call.signal,
      origin: context.transport.baseUrl.origin,
      async load(target, signal) {
        const response = await context.transport.get({
          // A next link replaces our query entirely: it is the server's own URL for that page.
          path: target.url ?? path,
          query: target.url ? undefined : { ...query, offset: target.offset },
          signal,
          timeout: call.timeout,
          headers: call.headers,
          onEvent: call.onEvent,
        });
        return readCollection(response, model.plural);
      },
      accept: (page) => accept.many(page.records) as AcceptedRecords<Selected<RecordTypes[C], P>>,
    };
    return new Paginator(source);
  }
}

/**
 * `query` with its `fields` in the names the server knows (1.1 has no `roles` or `primaryOrg`:
 * they are sent as `role,orgs`). Validation is then told the fields actually requested, so the
 * records the server returns for them are checked and normalised as usual.
 */
function inWireNames(query: QueryParams, kind: ModelKind, context: ResourceContext): QueryParams {
  const { fields } = query;
  if (!Array.isArray(fields)) return query;
  return { ...query, fields: wireFields(kind, context.version, fields) };
}
