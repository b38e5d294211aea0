/**
 * Per-record validation for resources, by mode: `strict` throws the record's
 * {@link ValidationError}; `lenient` skips the record and reports it (an `invalid_record` event to
 * the client-wide and per-call listeners, and `logger.warn` with the sourcedId and field paths
 * only, never values); `off` hands records through normalised.
 *
 * @module
 */
import type { ValidationError } from '../errors';
import { type ModelKind, type ParseOptions, parseRecord } from '../models';
import type { RecordTypes, ValidationMode } from '../models/types';
import type { ClientEvent } from '../options';
import type { AcceptedRecords } from '../pagination';
import type { ResourceContext } from './context';

/** Turns raw wire records of one kind into normalised records. */
export interface RecordAcceptor<T> {
  /** Every valid record of a page; invalid ones throw (strict) or are skipped and reported. */
  many(records: readonly unknown[]): AcceptedRecords<T>;
  /**
   * One record of a single-object read. There is nothing to skip, so an invalid record throws
   * its `ValidationError` in `strict` and `lenient` mode (and is reported in `lenient` mode).
   */
  one(record: unknown): T;
}

/** Options of {@link createRecordAcceptor}. */
export interface AcceptOptions {
  mode: ValidationMode;
  /** The `fields` projection requested, so that absent fields are not reported as missing. */
  fields: readonly string[] | undefined;
  /** The per-call listener, called after the client-wide one. */
  onEvent: ((event: ClientEvent) => void) | undefined;
}

/**
 * Build the acceptor for one call.
 *
 * @example
 * ```ts
 * const accept = createRecordAcceptor(context, 'users', { mode: 'lenient', fields: undefined, onEvent: undefined });
 * const { items, skipped } = accept.many(page.records);
 * ```
 */
export function createRecordAcceptor<K extends ModelKind>(
  context: ResourceContext,
  kind: K,
  options: AcceptOptions,
): RecordAcceptor<RecordTypes[K]> {
  const parseOptions: ParseOptions = {
    version: context.version,
    mode: options.mode,
    fields: options.fields,
  };

  const report = (error: ValidationError) => {
    const event: ClientEvent = {
      type: 'invalid_record',
      resource: error.resource,
      sourcedId: error.sourcedId,
      issues: error.issues.map(({ path, message }) => ({ path, message })),
    };
    emit(context, context.onEvent, event);
    emit(context, options.onEvent, event);
    context.logger?.warn(
      {
        resource: error.resource,
        sourcedId: error.sourcedId,
        paths: error.issues.map((issue) => issue.path),
      },
      'Skipped an invalid record',
    );
  };

  return {
    many(records) {
      const items: RecordTypes[K][] = [];
      let skipped = 0;
      for (const raw of records) {
        const result = parseRecord(kind, raw, parseOptions);
        if (result.ok) {
          items.push(result.record);
          continue;
        }
        // `off` only fails for input that cannot be a record at all (not an object): skip it
        // like lenient does rather than hand out something that breaks the record type.
        if (options.mode === 'strict') throw result.error;
        skipped++;
        report(result.error);
      }
      return { items, skipped };
    },
    one(raw) {
      const result = parseRecord(kind, raw, parseOptions);
      if (result.ok) return result.record;
      if (options.mode !== 'strict') report(result.error);
      throw result.error;
    },
  };
}

/**
 * Call a listener without letting it break paging: a throwing progress callback must not abort
 * a sync halfway, so its error is logged instead.
 */
function emit(
  context: ResourceContext,
  listener: ((event: ClientEvent) => void) | undefined,
  event: ClientEvent,
): void {
  if (!listener) return;
  try {
    listener(event);
  } catch (error) {
    context.logger?.error(
      { event: event.type, error: error instanceof Error ? error.message : String(error) },
      'onEvent listener threw; ignoring',
    );
  }
}
