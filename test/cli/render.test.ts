import { describe, expect, it } from 'vitest';
import { cellText, csvField, DEFAULT_COLUMNS } from '../../src/cli/render/cells';
import {
  estimateRemainingMs,
  formatCount,
  formatDuration,
  formatRate,
} from '../../src/cli/render/format';
import { createRecordWriter } from '../../src/cli/render/records';
import {
  describeRun,
  describeUnsuccessfulRun,
  renderReport,
  renderRuns,
} from '../../src/cli/render/report';
import { renderTable } from '../../src/cli/render/table';
import type { SyncReport } from '../../src/sync/report';
import { createTestIo } from './helpers/test-io';

const counts = (n: number) => ({
  fetched: n,
  created: n,
  updated: 0,
  deleted: 0,
  unchanged: 0,
  invalid: 0,
});

function report(overrides: Partial<SyncReport> = {}): SyncReport {
  return {
    runId: '3f2a9c1e-0000-4000-8000-000000000000',
    tenantId: 'district-a',
    mode: 'full',
    requestedMode: 'auto',
    status: 'succeeded',
    startedAt: '2026-03-08T04:00:00.123Z',
    finishedAt: '2026-03-08T04:00:01.323Z',
    durationMs: 1200,
    dryRun: false,
    resources: { users: counts(1234), orgs: counts(4) },
    warnings: [],
    errors: [],
    ...overrides,
  };
}

describe('format', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [4_200, '4.2s'],
    [185_000, '3m05s'],
    [7_380_000, '2h03m'],
    [-1, '?'],
    [Number.NaN, '?'],
  ])('formatDuration(%s) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('formats counts, rates and remaining time', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatRate(1234.5)).toBe('1,235/s');
    expect(formatRate(2.25)).toBe('2.3/s');
    expect(formatRate(0)).toBe('–');
    expect(estimateRemainingMs({ done: 500, total: 1500, perSecond: 100 })).toBe(10_000);
    expect(estimateRemainingMs({ done: 500, total: undefined, perSecond: 100 })).toBeUndefined();
    expect(estimateRemainingMs({ done: 500, total: 1500, perSecond: 0 })).toBeUndefined();
    expect(estimateRemainingMs({ done: 1500, total: 1500, perSecond: 10 })).toBeUndefined();
  });
});

describe('renderTable', () => {
  it('pads columns, right-aligns numbers and trims trailing spaces', () => {
    const text = renderTable(
      [{ header: 'resource' }, { header: 'created', align: 'right' }, { header: 'note' }],
      [
        ['users', '1,234', ''],
        ['orgs', '4', 'x'],
      ],
    );
    expect(text.split('\n')).toEqual([
      'resource  created  note',
      '--------  -------  ----',
      'users       1,234',
      'orgs            4  x',
    ]);
  });

  it('cuts long cells and neutralises control characters from server data', () => {
    const text = renderTable(
      [{ header: 'name', maxWidth: 8 }],
      [['Lakeview High School'], ['a\nb\u001b[2Jc']],
    );
    expect(text.split('\n').slice(2)).toEqual(['Lakevie…', 'a b [2Jc']);
  });
});

describe('reports', () => {
  it('renders one run with totals in dependency order', () => {
    const text = renderReport(report());
    expect(text.split('\n')).toEqual([
      'district-a: full sync succeeded in 1.2s (run 3f2a9c1e)',
      'resource  fetched  created  updated  deleted  unchanged  invalid',
      '--------  -------  -------  -------  -------  ---------  -------',
      'orgs            4        4        0        0          0        0',
      'users       1,234    1,234        0        0          0        0',
      'total       1,238    1,238        0        0          0        0',
    ]);
  });

  it('says why a run was refused or failed, and what it warned about', () => {
    const refused = renderReport(
      report({
        status: 'refused',
        reason: 'users would lose 60% of 100 records',
        dryRun: true,
        warnings: ['w1'],
      }),
    );
    expect(refused).toContain(
      'district-a: full sync (dry run) refused by the shrink guard in 1.2s',
    );
    expect(refused).toContain('Dry run: nothing was written.');
    expect(refused).toContain('Reason: users would lose 60% of 100 records');
    expect(refused).toContain('Warning: w1');
    const failed = renderReport(
      report({
        status: 'failed',
        resources: {},
        errors: [{ code: 'server_error', message: 'HTTP 503', resource: 'users' }],
      }),
    );
    expect(failed).toContain('Error [server_error] users: HTTP 503');
    expect(failed).not.toContain('resource  fetched');
  });

  it('lists runs one per line', () => {
    const text = renderRuns([
      report(),
      report({
        runId: 'abcdef12-1',
        mode: 'incremental',
        status: 'failed',
        reason: 'Pulling orgs failed',
        dryRun: true,
      }),
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^started \(UTC\)\s+tenant\s+run\s+mode\s+status\s+duration\s+created/,
    );
    expect(lines[2]).toMatch(
      /^2026-03-08 04:00:00Z\s+district-a\s+3f2a9c1e\s+full\s+succeeded\s+1\.2s\s+1,238/,
    );
    expect(lines[3]).toMatch(/abcdef12\s+incremental \(dry\)\s+failed .*Pulling orgs failed$/);
    expect(describeRun(report())).toBe('district-a: full sync succeeded in 1.2s (run 3f2a9c1e)');
  });
});

describe('the stderr line of a run that did not succeed', () => {
  it('gives the command-line advice for a refusal, once', () => {
    const line = describeUnsuccessfulRun(
      report({
        status: 'refused',
        reason:
          "Refused by the shrink guard: users would lose 60 of 100 stored records (60%, limit 50%). Nothing was changed; check the district's data sharing, then run again with force: true to apply",
      }),
    );
    expect(line).toBe(
      'oneroster: district-a: refused by the shrink guard: users would lose 60 of 100 stored records (60%, limit 50%). Nothing was changed. If the district really removed these records, rerun with --force.',
    );
  });

  it('adds what to check to a failure, on one line', () => {
    const line = describeUnsuccessfulRun(
      report({
        status: 'failed',
        reason:
          'Pulling orgs failed: GET http://127.0.0.1:9/x failed: connection refused (ECONNREFUSED); nothing was changed',
        errors: [
          {
            code: 'connection_error',
            message: 'GET http://127.0.0.1:9/x failed:\nconnection refused',
          },
        ],
      }),
    );
    expect(line).toBe(
      'oneroster: district-a: Pulling orgs failed: GET http://127.0.0.1:9/x failed: connection refused (ECONNREFUSED); nothing was changed. Check that the server is running and that `baseUrl` in the config points at it',
    );
  });
});

describe('cells', () => {
  it('shows references, roles and lists compactly', () => {
    expect(cellText({ sourcedId: 's-1', type: 'org', href: 'https://x' })).toBe('s-1');
    expect(
      cellText([
        { roleType: 'primary', role: 'teacher', org: { sourcedId: 's-1' } },
        { roleType: 'secondary', role: 'aide', org: { sourcedId: 's-2' } },
      ]),
    ).toBe('teacher@s-1 aide@s-2');
    expect(cellText(['09', '10'])).toBe('09 10');
    expect(cellText(true)).toBe('true');
    expect(cellText(undefined)).toBe('');
    expect(cellText({ a: 1 })).toBe('{"a":1}');
  });

  it('quotes CSV fields and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Smith, Jo')).toBe('"Smith, Jo"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('+1 555 0100')).toBe("'+1 555 0100");
    expect(csvField('@sum')).toBe("'@sum");
  });

  it('has default columns for every resource `get` reads', () => {
    for (const columns of Object.values(DEFAULT_COLUMNS)) expect(columns[0]).toBe('sourcedId');
  });
});

describe('record writers', () => {
  const records = [
    {
      sourcedId: 'u-1',
      givenName: 'Ann',
      roles: [{ roleType: 'primary', role: 'teacher', org: { sourcedId: 's-1' } }],
    },
    { sourcedId: 'u-2', givenName: 'O, Brien' },
  ];

  async function written(
    format: 'json' | 'ndjson' | 'csv' | 'table',
    list: readonly Record<string, unknown>[],
    single = false,
  ) {
    const io = createTestIo();
    const writer = createRecordWriter(format, io.stdout, {
      columns: ['sourcedId', 'givenName', 'roles'],
      single,
    });
    for (const record of list) await writer.write(record);
    await writer.end();
    return io.out();
  }

  it('writes NDJSON and a JSON array as records arrive', async () => {
    expect(await written('ndjson', records)).toBe(
      `${records.map((r) => JSON.stringify(r)).join('\n')}\n`,
    );
    expect(JSON.parse(await written('json', records))).toEqual(records);
    expect(await written('json', [])).toBe('[]\n');
    expect(JSON.parse(await written('json', records.slice(0, 1), true))).toEqual(records[0]);
  });

  it('writes CSV with a header, also when there are no records', async () => {
    expect(await written('csv', records)).toBe(
      'sourcedId,givenName,roles\r\nu-1,Ann,teacher@s-1\r\nu-2,"O, Brien",\r\n',
    );
    expect(await written('csv', [])).toBe('sourcedId,givenName,roles\r\n');
  });

  it('writes a table, and one record as field/value lines', async () => {
    expect((await written('table', records)).split('\n')[2]).toBe(
      'u-1        Ann        teacher@s-1',
    );
    const single = await written('table', records.slice(1), true);
    expect(single).toContain('givenName  O, Brien');
  });
});
