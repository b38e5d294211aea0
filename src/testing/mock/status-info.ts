/**
 * Error and warning bodies as each version sends them (oneroster.md §8): 1.2 the bare
 * `imsx_StatusInfoDType`; 1.1 the `imsx_StatusInfo.Type`, which also requires
 * `imsx_messageRefIdentifier`.
 *
 * @module
 */
import type { OneRosterVersion } from '../../models/types';

/** imsx code-minor values the mock sends. */
export type CodeMinor =
  | 'fullsuccess'
  | 'invalid_filter_field'
  | 'invalid_selection_field'
  | 'invalid_blank_selection_field'
  | 'invalid_sort_field'
  | 'invaliddata'
  | 'unauthorisedrequest'
  | 'forbidden'
  | 'server_busy'
  | 'unknownobject'
  | 'internal_server_error';

/** One status-info object. */
export function statusInfo(
  version: OneRosterVersion,
  init: {
    codeMajor: 'success' | 'failure';
    severity: 'status' | 'warning' | 'error';
    codeMinor: CodeMinor;
    description: string;
    requestId: string;
  },
): Record<string, unknown> {
  const codeMinor = {
    imsx_codeMinorField: [
      { imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: init.codeMinor },
    ],
  };
  if (version === '1.1') {
    return {
      imsx_codeMajor: init.codeMajor,
      imsx_severity: init.severity,
      imsx_messageRefIdentifier: init.requestId,
      imsx_description: init.description,
      imsx_CodeMinor: codeMinor,
    };
  }
  return {
    imsx_codeMajor: init.codeMajor,
    imsx_severity: init.severity,
    imsx_description: init.description,
    imsx_CodeMinor: codeMinor,
  };
}

/** A JSON response. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** A failure response with the version's error body. */
export function errorResponse(
  version: OneRosterVersion,
  status: number,
  codeMinor: CodeMinor,
  description: string,
  requestId: string,
  headers: Record<string, string> = {},
): Response {
  const body = statusInfo(version, {
    codeMajor: 'failure',
    severity: 'error',
    codeMinor,
    description,
    requestId,
  });
  return jsonResponse(status, body, headers);
}
