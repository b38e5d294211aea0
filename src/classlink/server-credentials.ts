/**
 * `GET /applications/{oneroster_application_id}/server`: a district's direct-mode credentials
 * (Roster Server URL, key and secret), for services that prefer OAuth 1.0a to the proxy.
 *
 * @module
 */
import { z } from 'zod';
import type { OneRosterClient } from '../client';
import { InvalidResponseError, redactUrl } from '../errors';
import { type ClassLinkDirectOptions, createClassLinkDirectClient } from './direct';
import { type PartnerApiOptions, partnerTransport } from './partner-api';
import { checkApplicationId } from './proxy';
import { redactWhenSerialized } from './redact-serialized';

/** A district's direct Roster Server credentials. */
export interface ClassLinkDirectCredentials {
  /** The Roster Server URL (`endpoint_url`). */
  endpointUrl: string;
  clientId: string;
  /** Shown as `[REDACTED]` by `JSON.stringify` and `console.log`. */
  clientSecret: string;
}

const serverSchema = z.looseObject({
  server: z.looseObject({
    client_id: z.union([z.string(), z.number()]).transform(String),
    client_secret: z.string().min(1),
    endpoint_url: z.string().min(1),
  }),
});

/** Options of {@link getDirectCredentials}. */
export interface GetDirectCredentialsOptions extends PartnerApiOptions {
  /** The tenant's `oneroster_application_id`, verbatim. */
  applicationId: string;
}

/**
 * Fetch a district's direct-mode credentials with the partner key.
 *
 * @throws {NotFoundError} when ClassLink knows no server for the application id.
 * @throws {InvalidResponseError} when the body has no `server` with the three fields.
 *
 * @example
 * ```ts
 * const credentials = await getDirectCredentials({ partnerKey, applicationId: tenant.applicationId });
 * const client = createClassLinkDirectClient(credentials);
 * ```
 */
export async function getDirectCredentials(
  options: GetDirectCredentialsOptions,
): Promise<ClassLinkDirectCredentials> {
  const applicationId = checkApplicationId(options.applicationId);
  const transport = partnerTransport(options);
  // The id is already percent-encoded and goes into the path as is.
  const response = await transport.get({
    path: `/applications/${applicationId}/server`,
    signal: options.signal,
  });
  const parsed = serverSchema.safeParse(response.body);
  if (!parsed.success) {
    throw new InvalidResponseError({
      status: response.status,
      method: 'GET',
      url: redactUrl(response.url),
      reason: 'expected `server` with client_id, client_secret and endpoint_url',
      retryable: false,
    });
  }
  const { server } = parsed.data;
  return redactWhenSerialized(
    {
      endpointUrl: server.endpoint_url,
      clientId: server.client_id,
      clientSecret: server.client_secret,
    },
    ['clientSecret'],
  );
}

/**
 * A direct-mode (OAuth 1.0a) client for a tenant: fetches its credentials, then builds the
 * client.
 *
 * @example
 * ```ts
 * const client = await directClientForTenant({ partnerKey, applicationId: tenant.applicationId });
 * ```
 */
export async function directClientForTenant(
  options: GetDirectCredentialsOptions & {
    client?: Omit<ClassLinkDirectOptions, 'endpointUrl' | 'clientId' | 'clientSecret'>;
  },
): Promise<OneRosterClient> {
  const credentials = await getDirectCredentials(options);
  return createClassLinkDirectClient({
    ...options.client,
    endpointUrl: credentials.endpointUrl,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
  });
}
