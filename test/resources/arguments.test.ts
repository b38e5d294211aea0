import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import type { ClientEvent } from '../../src/options';
import { filter } from '../../src/query';
import { createResources } from '../../src/resources';
import { pathId } from '../../src/resources/path';
import { contextFor, fakeTransport } from './fake-transport';

function configurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

const setup = () => {
  const transport = fakeTransport(() => ({
    body: { users: [], classes: [], user: { sourcedId: 'u' } },
  }));
  return { transport, resources: createResources(contextFor(transport, { validation: 'off' })) };
};

describe('pathId', () => {
  it.each([
    ['u-1', 'u-1'],
    ['a/b', 'a%2Fb'],
    ['a b', 'a%20b'],
    ['a?b#c', 'a%3Fb%23c'],
    ['100%', '100%25'],
    ['é', '%C3%A9'],
    ['...', '...'],
  ])('encodes %j as one segment', (id, expected) => {
    expect(pathId('sourcedId', id)).toBe(expected);
  });

  it.each([
    ['', /empty/],
    ['.', /change the request path/],
    ['..', /change the request path/],
    [undefined, /got undefined/],
    [42, /got number/],
    [null, /got null/],
  ])('rejects %j naming the parameter', (id, message) => {
    const error = configurationError(() => pathId('schoolSourcedId', id));
    expect(error.option).toBe('schoolSourcedId');
    expect(error.message).toMatch(message);
  });
});

describe('resource arguments', () => {
  it('nested list methods throw at once for a bad id, naming it', () => {
    const { resources, transport } = setup();
    expect(configurationError(() => resources.schools.listClasses('')).option).toBe(
      'schoolSourcedId',
    );
    expect(
      configurationError(() => resources.schools.listStudentsForClass('s-1', '..')).option,
    ).toBe('classSourcedId');
    expect(configurationError(() => resources.terms.listGradingPeriods('.')).option).toBe(
      'termSourcedId',
    );
    expect(transport.requests).toHaveLength(0);
  });

  it('get() rejects an empty sourcedId without a request', async () => {
    const { resources, transport } = setup();
    const error = await resources.users.get('').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe('sourcedId');
    expect(transport.requests).toHaveLength(0);
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ offset: -1 }, 'offset'],
    [{ orderBy: 'asc' as const }, 'orderBy'],
    [{ fields: [] }, 'fields'],
  ])('list(%j) throws at once naming the parameter', (params, option) => {
    const { resources } = setup();
    expect(configurationError(() => resources.users.list(params)).option).toBe(option);
  });

  it.each([
    [{ validation: 'loose' }, 'validation'],
    [{ timeout: -1 }, 'timeout'],
    [{ timeout: 2 ** 31 }, 'timeout'],
    [{ signal: {} }, 'signal'],
    [{ onEvent: 'log' }, 'onEvent'],
    [{ headers: { 'x-a': 'b\r\nInjected: 1' } }, 'headers.x-a'],
    [{ headers: { 'bad name': 'x' } }, 'headers.bad name'],
    [{ retries: 2 }, 'retries'],
  ])('request options %j are rejected naming the option', (options, option) => {
    const { resources } = setup();
    expect(configurationError(() => resources.users.list({}, options as never)).option).toBe(
      option,
    );
  });

  it('does not echo header values in errors', () => {
    const { resources } = setup();
    const error = configurationError(() =>
      resources.users.list({}, { headers: { 'x-api-key': 'sekrit-value\n' } }),
    );
    expect(error.message).not.toContain('sekrit');
  });

  it('passes params and per-call options through to the transport', async () => {
    const { resources, transport } = setup();
    const controller = new AbortController();
    const onEvent = (_event: ClientEvent) => {};
    await resources.classes.listStudents(
      'c 1',
      {
        filter: filter.eq('givenName', "O'Brien"),
        sort: 'familyName',
        orderBy: 'desc',
        fields: ['sourcedId', 'givenName'],
        limit: 25,
        offset: 50,
      },
      { signal: controller.signal, timeout: 1234, headers: { 'x-trace': 't-1' }, onEvent },
    );
    const request = transport.requests[0];
    expect(request?.url.pathname).toBe('/ims/oneroster/v1p1/classes/c%201/students');
    expect(request?.url.search).toBe(
      '?limit=25&offset=50&sort=familyName&orderBy=desc&filter=givenName%3D%27O%27%27Brien%27&fields=sourcedId%2CgivenName',
    );
    expect(request?.signal).toBe(controller.signal);
    expect(request?.timeout).toBe(1234);
    expect(request?.headers).toEqual({ 'x-trace': 't-1' });
    expect(request?.onEvent).toBe(onEvent);
  });

  it('get() sends fields and the per-call options', async () => {
    const { resources, transport } = setup();
    await resources.users.get('u/1', { fields: 'sourcedId,email' }, { timeout: 99 });
    const request = transport.requests[0];
    expect(request?.url.pathname).toBe('/ims/oneroster/v1p1/users/u%2F1');
    expect(request?.url.search).toBe('?fields=sourcedId%2Cemail');
    expect(request?.timeout).toBe(99);
  });
});
