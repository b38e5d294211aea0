/**
 * Writers for `oneroster get`: JSON, NDJSON and CSV are written as records arrive (a large
 * collection streams through in constant memory); a table needs every row to size its columns,
 * so it holds at most the `--limit` it was given.
 *
 * @module
 */
import { type OutputStream, writeOut } from '../io';
import { cellText, csvField } from './cells';
import { renderTable } from './table';

/** The `--format` values. */
export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
/** One of {@link OUTPUT_FORMATS}. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Receives records one by one, then `end()`. */
export interface RecordWriter {
  write(record: Readonly<Record<string, unknown>>): Promise<void>;
  end(): Promise<void>;
}

/**
 * A writer for one format.
 *
 * - `columns`: the fields of table and CSV output (JSON formats write whole records); empty
 *   means every field of the (first) record.
 * - `single`: one record (`get <resource> <id>`): JSON is an object, not an array, and a table
 *   lists field and value one per line.
 *
 * @example
 * ```ts
 * const writer = createRecordWriter('csv', io.stdout, { columns: ['sourcedId', 'givenName'] });
 * for await (const user of client.users.list()) await writer.write(user);
 * await writer.end();
 * ```
 */
export function createRecordWriter(
  format: OutputFormat,
  stream: OutputStream,
  options: { columns: readonly string[]; single?: boolean },
): RecordWriter {
  const { columns } = options;
  switch (format) {
    case 'ndjson':
      return {
        write: (record) => writeOut(stream, `${JSON.stringify(record)}\n`),
        end: async () => {},
      };
    case 'json': {
      if (options.single) {
        let held: unknown;
        return {
          write: async (record) => {
            held = record;
          },
          end: () => writeOut(stream, `${JSON.stringify(held ?? null, null, 2)}\n`),
        };
      }
      let count = 0;
      return {
        write: (record) =>
          writeOut(stream, `${count++ === 0 ? '[\n' : ',\n'}${JSON.stringify(record)}`),
        end: () => writeOut(stream, count === 0 ? '[]\n' : '\n]\n'),
      };
    }
    case 'csv': {
      const line = (cells: readonly string[]) => `${cells.map(csvField).join(',')}\r\n`;
      let header: readonly string[] | undefined;
      return {
        write: async (record) => {
          if (!header) {
            header = columns.length > 0 ? columns : Object.keys(record);
            await writeOut(stream, line(header));
          }
          await writeOut(stream, line((header ?? []).map((column) => cellText(record[column]))));
        },
        end: async () => {
          if (!header && columns.length > 0) await writeOut(stream, line(columns));
        },
      };
    }
    case 'table': {
      const rows: string[][] = [];
      if (options.single) {
        let held: Readonly<Record<string, unknown>> | undefined;
        return {
          write: async (record) => {
            held = record;
          },
          end: async () => {
            if (!held) return;
            const record = held;
            const fields = columns.length > 0 ? columns : Object.keys(record);
            const pairs = fields.map((field) => [field, cellText(record[field])]);
            await writeOut(
              stream,
              `${renderTable([{ header: 'field' }, { header: 'value', maxWidth: 100 }], pairs)}\n`,
            );
          },
        };
      }
      return {
        write: async (record) => {
          rows.push(columns.map((column) => cellText(record[column])));
        },
        end: () =>
          writeOut(
            stream,
            `${renderTable(
              columns.map((header) => ({ header })),
              rows,
            )}\n`,
          ),
      };
    }
  }
}
