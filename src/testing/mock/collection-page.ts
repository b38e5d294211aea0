/**
 * Serving one page of a collection: the paging, sort and filter parameters, the cached view,
 * the page body (joined from cached record renderings in the common case) and paging headers.
 *
 * @module
 */
import type { OneRosterVersion, RecordTypes, SyncResource } from '../../models/types';
import type { Dataset } from '../district/dataset';
import { isKnownField } from './fields';
import { type ParsedFilter, parseFilter } from './filter';
import type { FaultPlan, FaultPlanner, RequestContext } from './handle';
import type { DatasetIndexes } from './indexes';
import type { ModifiedIndex } from './modified-index';
import { type PagingHeaders, pagingHeaders } from './paging';
import { parseCollectionQuery, type QueryValues } from './query';
import { type RenderCache, renderRecord } from './render';
import type { Resolution, RouteDef } from './routes';
import { type CodeMinor, errorResponse } from './status-info';
import { computeView, type ViewCache, viewSize } from './views';

/** What a page is served from: the server's state. */
export interface PageServer {
  dataset: Dataset;
  version: OneRosterVersion;
  views: ViewCache;
  rendered: RenderCache;
  indexes: DatasetIndexes;
  modified: ModifiedIndex;
  faults: FaultPlanner;
  hrefBase: string;
  pagingHeaders: PagingHeaders;
  maxPageSize: number;
  defaultPageSize: number;
}

/** The request a page answers. */
export interface PageRequest {
  route: RouteDef;
  params: readonly string[];
  resolution: Extract<Resolution, { type: 'collection' }>;
  query: QueryValues;
  url: URL;
  context: RequestContext;
  plan: FaultPlan;
  /** Requested fields (already checked), or `undefined` for whole records. */
  fields: string[] | undefined;
  /** 1.1 warnings so far; `warn` adds one. */
  warnings: Array<Record<string, unknown>>;
  warn: (codeMinor: CodeMinor, description: string) => void;
}

const COMMA = Buffer.from(',');

/** Keep only the requested fields, in the record's own order. */
export function project(
  wire: Record<string, unknown>,
  fields: readonly string[] | undefined,
): Record<string, unknown> {
  if (fields === undefined) return wire;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(wire)) if (fields.includes(key)) out[key] = wire[key];
  return out;
}

/** Answer a collection request: a 400 for bad parameters, else the page. */
export function serveCollectionPage(server: PageServer, request: PageRequest): Response {
  const { dataset, version, views, rendered, indexes, hrefBase } = server;
  const { route, params, resolution, query, url, context, plan, fields, warnings, warn } = request;
  const fail = (status: number, codeMinor: CodeMinor, description: string) =>
    errorResponse(version, status, codeMinor, description, context.requestId);

  const parsed = parseCollectionQuery(query, server.defaultPageSize);
  if ('codeMinor' in parsed) return fail(400, parsed.codeMinor, parsed.description);
  let filter: ParsedFilter | undefined;
  if (parsed.filter !== undefined) {
    const result = parseFilter(parsed.filter);
    if ('error' in result) return fail(400, 'invalid_filter_field', result.error);
    const unknown = result.clauses.find((c) => !isKnownField(route.kind, version, c.field));
    if (unknown) {
      return fail(400, 'invalid_filter_field', `Unknown filter field: ${unknown.field}`);
    }
    filter = result;
  }
  let sort: { field: string; descending: boolean } | undefined;
  if (parsed.sort !== undefined) {
    if (isKnownField(route.kind, version, parsed.sort)) {
      sort = { field: parsed.sort, descending: parsed.orderBy === 'desc' };
    } else if (version === '1.1') {
      // 1.1: default order plus a warning (oneroster.md §7.2).
      warn('invalid_sort_field', `Unknown sort field: ${parsed.sort}`);
    } else {
      return fail(400, 'invaliddata', `Unknown sort field: ${parsed.sort}`);
    }
  } else if (parsed.orderBy === 'desc') {
    sort = { field: 'sourcedId', descending: true };
  }

  const limit = Math.min(
    parsed.limit,
    server.maxPageSize,
    plan.clampLimit ?? Number.POSITIVE_INFINITY,
  );
  const viewKey = () =>
    `${dataset.revision}|${context.path}|${parsed.filter ?? ''}|${sort?.field ?? ''}|${sort?.descending ?? ''}`;
  let view = views.get(viewKey(), () =>
    computeView(dataset, {
      kind: resolution.kind,
      base: resolution.positions,
      filter,
      sort,
      version,
      modified: server.modified,
    }),
  );
  if (plan.shiftData) {
    server.faults.shift(plan.shiftData, { kind: resolution.kind, view, offset: parsed.offset });
    const refreshed = route.resolve({ dataset, indexes }, params);
    if (refreshed.type === 'collection') {
      view = views.get(viewKey(), () =>
        computeView(dataset, {
          kind: refreshed.kind,
          base: refreshed.positions,
          filter,
          sort,
          version,
          modified: server.modified,
        }),
      );
    }
  }
  const total = viewSize(dataset, resolution.kind, view);
  const collection = dataset.collection(resolution.kind);
  const end = Math.min(total, parsed.offset + limit);
  const positionAt = (i: number) => (view === 'all' ? i : (view[i] as number));
  const recordAt = (i: number) => collection.at(positionAt(i)) as RecordTypes[SyncResource];
  const headers = pagingHeaders(server.pagingHeaders, url, {
    limit,
    offset: parsed.offset,
    total,
    count: Math.max(0, end - parsed.offset),
  });
  let body: Buffer;
  if (fields === undefined && !plan.invalidRecord) {
    // The common case: whole records, copied from their cached UTF-8 renderings.
    const chunks: Buffer[] = [Buffer.from(`{${JSON.stringify(route.wrapper)}:[`)];
    for (let i = parsed.offset; i < end; i++) {
      if (i > parsed.offset) chunks.push(COMMA);
      const id = collection.idAt(positionAt(i)) as string;
      chunks.push(rendered.json(resolution.kind, id, () => recordAt(i)));
    }
    const extra = warnings.length > 0 ? `,"statusInfoSet":${JSON.stringify(warnings)}` : '';
    chunks.push(Buffer.from(`]${extra}}`));
    body = Buffer.concat(chunks);
  } else {
    const items: Array<Record<string, unknown>> = [];
    for (let i = parsed.offset; i < end; i++) {
      items.push(project(renderRecord(resolution.kind, recordAt(i), version, hrefBase), fields));
    }
    if (plan.invalidRecord && items.length > 0) {
      const { index, field, value } = plan.invalidRecord;
      const at = Math.min(items.length - 1, index ?? Math.floor(items.length / 2));
      const broken = { ...items[at] };
      if ('value' in plan.invalidRecord) broken[field] = value;
      else delete broken[field];
      items[at] = broken;
    }
    const json: Record<string, unknown> = { [route.wrapper]: items };
    if (warnings.length > 0) json.statusInfoSet = warnings;
    body = Buffer.from(JSON.stringify(json));
  }
  if (plan.truncateAt !== undefined) {
    body = body.subarray(0, Math.max(1, Math.floor(body.length * plan.truncateAt)));
  }
  // Buffer.concat and Buffer.from allocate plain (non-shared) ArrayBuffers.
  return new Response(body as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}
