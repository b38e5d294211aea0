import { describe, expect, it } from 'vitest';
import { createMockOneRoster, generateDistrict } from '../../src/testing';

describe('testing kit smoke', () => {
  it('serves paged users with the wrapper key in both versions', async () => {
    const dataset = generateDistrict({ seed: 5 });
    for (const version of ['1.1', '1.2'] as const) {
      const mock = createMockOneRoster({ dataset, version });
      const res = await mock.fetch(`${mock.baseUrl}/users?limit=10&offset=5`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-total-count')).toBe(String(dataset.users.size));
      const body = (await res.json()) as { users: Array<{ sourcedId: string }> };
      expect(body.users.map((u) => u.sourcedId)).toEqual(
        dataset.users.slice(5, 15).map((u) => u.sourcedId),
      );
    }
  });

  it('listens on 127.0.0.1', async () => {
    const mock = createMockOneRoster({ dataset: generateDistrict({ seed: 5 }), version: '1.1' });
    const server = await mock.listen();
    try {
      const res = await fetch(`${server.baseUrl}/orgs`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { orgs: unknown[] }).orgs).toHaveLength(4);
    } finally {
      await server.close();
    }
  });
});
