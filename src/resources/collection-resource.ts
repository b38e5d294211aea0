/**
 * The one generic resource implementation: list a collection (a {@link Paginator}), get one
 * record, and list a nested collection. Each resource file is a small declaration on top.
 *
 * @module
 */
import type { ModelKind } from '../models';
import type { RecordTypes } from '../models/types';
import type { RequestOptions } from '../options';
import { type PageSource, Paginator } from '../pagination';
import { type GetParams, type ListParams, toGetQueryParams, toQueryParams } from '../query';
import { checkRequestOptions } from './checks';
import type { ResourceContext } from './context';
import type { ModelSpec } from './models';
import { pathId } from './path';
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
  list(params?: ListParams, options?: RequestOptions): Paginator<RecordTypes[K]> {
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
  async get(
    sourcedId: string,
    params?: GetParams,
    options?: RequestOptions,
  ): Promise<RecordTypes[K]> {
    const path = `${this.#path}/${pathId('sourcedId', sourcedId)}`;
    const query = toGetQueryParams(params);
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
    return accept.one(readSingle(response, this.#model.singular));
  }

  /**
   * List the collection at `path` (a nested collection such as `/schools/{id}/classes`).
   * Ids in `path` must already be encoded with {@link pathId}.
   */
  protected paginate<C extends ModelKind>(
    path: string,
    model: ModelSpec<C>,
    params: ListParams | undefined,
    options: RequestOptions | undefined,
  ): Paginator<RecordTypes[C]> {
    const context = this.#context;
    const query = toQueryParams(params, { pageSize: context.pageSize });
    const call = checkRequestOptions(options);
    const accept = createRecordAcceptor(context, model.kind, {
      mode: call.validation ?? context.validation,
      fields: query.fields as readonly string[] | undefined,
      onEvent: call.onEvent,
    });
    const source: PageSource<RecordTypes[C]> = {
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
      accept: (page) => accept.many(page.records),
    };
    return new Paginator(source);
  }
}
