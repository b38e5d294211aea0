import { describe, expect, it } from 'vitest';
import {
  bodyExcerpt,
  clipText,
  isFailureStatus,
  parseStatusInfo,
} from '../../src/http/status-info';

const identity = (s: string): string => s;

describe('parseStatusInfo', () => {
  it('reads the 1.2 flat imsx_StatusInfoDType', () => {
    expect(
      parseStatusInfo({
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
        imsx_description: 'Unknown filter field: nickname',
        imsx_CodeMinor: {
          imsx_codeMinorField: [
            {
              imsx_codeMinorFieldName: 'TargetEndSystem',
              imsx_codeMinorFieldValue: 'invalid_filter_field',
            },
          ],
        },
      }),
    ).toEqual({
      codeMajor: 'failure',
      severity: 'error',
      description: 'Unknown filter field: nickname',
      codeMinor: [{ name: 'TargetEndSystem', value: 'invalid_filter_field' }],
    });
  });

  it('reads imsx_codeMinor as a plain string (Ed-Fi)', () => {
    expect(
      parseStatusInfo({
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
        imsx_description: "Field 'foo' is not allowed",
        imsx_codeMinor: 'invalid_data',
      }),
    ).toEqual({
      codeMajor: 'failure',
      severity: 'error',
      description: "Field 'foo' is not allowed",
      codeMinor: [{ name: 'codeMinor', value: 'invalid_data' }],
    });
  });

  it('reads a single codeMinorField object instead of an array', () => {
    const info = parseStatusInfo({
      imsx_codeMajor: 'failure',
      imsx_CodeMinor: {
        imsx_codeMinorField: {
          imsx_codeMinorFieldName: 'x',
          imsx_codeMinorFieldValue: 'unknownobject',
        },
      },
    });
    expect(info?.codeMinor).toEqual([{ name: 'x', value: 'unknownobject' }]);
  });

  it('reads 1.1 statusInfoSet, picking the first failure and keeping every code minor', () => {
    const info = parseStatusInfo({
      statusInfoSet: [
        {
          imsx_codeMajor: 'success',
          imsx_severity: 'warning',
          imsx_codeMinor: 'invalid_sort_field',
        },
        {
          imsx_codeMajor: 'failure',
          imsx_severity: 'error',
          imsx_description: 'bad filter',
          imsx_CodeMinor: {
            imsx_codeMinorField: [
              { imsx_codeMinorFieldName: 'n', imsx_codeMinorFieldValue: 'invalid_filter_field' },
            ],
          },
        },
      ],
    });
    expect(info).toEqual({
      codeMajor: 'failure',
      severity: 'error',
      description: 'bad filter',
      codeMinor: [
        { name: 'n', value: 'invalid_filter_field' },
        { name: 'codeMinor', value: 'invalid_sort_field' },
      ],
    });
  });

  it('reads statusInfoSet wrapping imsx_statusInfo', () => {
    const info = parseStatusInfo({
      statusInfoSet: {
        imsx_statusInfo: [
          { imsx_codeMajor: 'failure', imsx_severity: 'error', imsx_codeMinor: 'unknownobject' },
        ],
      },
    });
    expect(info?.codeMinor[0]?.value).toBe('unknownobject');
  });

  it('reads {imsx_statusInfo: {...}}', () => {
    const info = parseStatusInfo({
      imsx_statusInfo: {
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
        imsx_description: 'nope',
      },
    });
    expect(info).toEqual({
      codeMajor: 'failure',
      severity: 'error',
      description: 'nope',
      codeMinor: [],
    });
  });

  it('reads {errors: [{codeMajor, severity, codeMinor, description}]} with un-prefixed keys', () => {
    const info = parseStatusInfo({
      errors: [
        {
          codeMajor: 'failure',
          severity: 'error',
          codeMinor: 'unauthorisedrequest',
          description: 'token expired',
        },
      ],
    });
    expect(info).toEqual({
      codeMajor: 'failure',
      severity: 'error',
      description: 'token expired',
      codeMinor: [{ name: 'codeMinor', value: 'unauthorisedrequest' }],
    });
  });

  it('matches keys case-insensitively', () => {
    const info = parseStatusInfo({ IMSX_CODEMAJOR: 'failure', Imsx_Severity: 'error' });
    expect(info?.codeMajor).toBe('failure');
    expect(info?.severity).toBe('error');
  });

  it('returns undefined for data bodies and non-objects', () => {
    expect(
      parseStatusInfo({ users: [{ sourcedId: 'u1', description: 'not status info' }] }),
    ).toBeUndefined();
    expect(parseStatusInfo({ description: 'only a description' })).toBeUndefined();
    expect(parseStatusInfo('text')).toBeUndefined();
    expect(parseStatusInfo(null)).toBeUndefined();
    expect(parseStatusInfo({ errors: [] })).toBeUndefined();
  });

  it('tells failures from warnings', () => {
    expect(isFailureStatus({ codeMajor: 'failure', codeMinor: [] })).toBe(true);
    expect(isFailureStatus({ codeMajor: 'success', severity: 'warning', codeMinor: [] })).toBe(
      false,
    );
    expect(isFailureStatus({ severity: 'error', codeMinor: [] })).toBe(true);
  });
});

describe('bodyExcerpt', () => {
  it('strips tags, scripts and entities and collapses whitespace', () => {
    const html = `<!DOCTYPE html><html><head><title>429</title><style>p{}</style></head>
      <body><script>var token = 1;</script><h1>Too many requests,</h1>\n\n<p>please &amp; try again later.</p></body></html>`;
    expect(bodyExcerpt(html, identity)).toBe('Too many requests, please & try again later.');
  });

  it('cuts at about 200 characters', () => {
    const excerpt = bodyExcerpt('word '.repeat(500), identity) ?? '';
    expect(excerpt.length).toBeLessThanOrEqual(200);
    expect(excerpt.endsWith('…')).toBe(true);
  });

  it('redacts before cutting and returns undefined for blank bodies', () => {
    const redact = (s: string): string => s.replaceAll('s3cr3t-token', '[REDACTED]');
    expect(bodyExcerpt('invalid token s3cr3t-token', redact)).toBe('invalid token [REDACTED]');
    expect(bodyExcerpt('  <p> </p> ', identity)).toBeUndefined();
  });
});

describe('clipText', () => {
  it('collapses whitespace, keeps angle brackets, redacts and cuts', () => {
    expect(
      clipText('invalid   value\n <none> for key s3cr3t-value', (s) =>
        s.replaceAll('s3cr3t-value', 'X'),
      ),
    ).toBe('invalid value <none> for key X');
    expect(clipText('a'.repeat(600), identity)?.length).toBe(500);
    expect(clipText('   ', identity)).toBeUndefined();
  });
});
