/**
 * Plain-text tables for terminals: padded columns, numbers right-aligned, long cells cut.
 *
 * @module
 */

/** One column of a {@link renderTable} table. */
export interface Column {
  header: string;
  /** @default 'left' */
  align?: 'left' | 'right';
  /** Longer cells are cut with `…`. @default 48 */
  maxWidth?: number;
}

/**
 * Render rows under headers, columns separated by two spaces, lines without trailing spaces.
 *
 * @example
 * ```ts
 * renderTable([{ header: 'resource' }, { header: 'created', align: 'right' }], [['users', '12']]);
 * // 'resource  created\n--------  -------\nusers          12'
 * ```
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  const cut = rows.map((row) =>
    columns.map((column, i) => truncate(sanitize(row[i] ?? ''), column.maxWidth ?? 48)),
  );
  const widths = columns.map((column, i) =>
    Math.max(width(column.header), ...cut.map((row) => width(row[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - width(cell));
        return columns[i]?.align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    line(widths.map((w) => '-'.repeat(w))),
    ...cut.map(line),
  ].join('\n');
}

/** Display width in code points (close enough for names and identifiers). */
function width(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function truncate(text: string, max: number): string {
  if (width(text) <= max) return text;
  return `${[...text].slice(0, Math.max(1, max - 1)).join('')}…`;
}

/**
 * Cells come from servers: a newline or an escape sequence in a name must not break the layout
 * or drive the terminal.
 */
function sanitize(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}
