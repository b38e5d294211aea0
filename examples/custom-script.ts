/**
 * A short custom script: export the active teachers of one school to CSV, straight from the
 * district's OneRoster server. The kind of one-off an integration engineer writes.
 *
 * Against a mock district (no network):
 *
 *     npx tsx examples/custom-script.ts --mock
 *
 * Against a district:
 *
 *     ONEROSTER_BASE_URL=https://sis.example/ims/oneroster/v1p1 ONEROSTER_KEY=… ONEROSTER_SECRET=… \
 *       npx tsx examples/custom-script.ts --school <school sourcedId> --out teachers.csv
 *
 * (The examples import from `../src`; in your code, import from `@smartpass/oneroster`.)
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { filter, OneRosterClient } from '@smartpass/oneroster';
import { createMockOneRoster, generateDistrict } from '@smartpass/oneroster/testing';

const COLUMNS = [
  'sourcedId',
  'givenName',
  'familyName',
  'email',
  'username',
  'identifier',
] as const;

/** A CSV line; every field quoted, so commas, quotes and line breaks in names are safe. */
function csvLine(values: ReadonlyArray<string | undefined>): string {
  return `${values.map((value) => `"${(value ?? '').replaceAll('"', '""')}"`).join(',')}\r\n`;
}

/**
 * Write the active teachers of `schoolId` as CSV, sorted by family name, streaming: one page in
 * memory at a time. Resolves with the number of teachers written.
 */
export async function writeActiveTeachersCsv(
  client: OneRosterClient,
  schoolId: string,
  out: Writable,
): Promise<number> {
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(csvLine(COLUMNS));
  let count = 0;
  const teachers = client.schools.listTeachers(schoolId, {
    filter: filter.eq('status', 'active'),
    sort: 'familyName',
  });
  for await (const teacher of teachers) {
    await write(csvLine(COLUMNS.map((column) => teacher[column])));
    count++;
  }
  return count;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      school: { type: 'string' },
      out: { type: 'string' },
      mock: { type: 'boolean', default: false },
    },
  });
  let client: OneRosterClient;
  let school = values.school;
  if (values.mock) {
    // The mock served through an injected `fetch`: no port, no network.
    const mock = createMockOneRoster({ dataset: generateDistrict({ seed: 3 }), version: '1.2' });
    client = new OneRosterClient({ baseUrl: mock.baseUrl, fetch: mock.fetch });
    school ??= (await client.schools.list({ limit: 1 })).items[0]?.sourcedId;
  } else {
    const { ONEROSTER_BASE_URL, ONEROSTER_KEY, ONEROSTER_SECRET } = process.env;
    if (!ONEROSTER_BASE_URL || !ONEROSTER_KEY || !ONEROSTER_SECRET) {
      throw new Error('Set ONEROSTER_BASE_URL, ONEROSTER_KEY and ONEROSTER_SECRET (or use --mock)');
    }
    client = new OneRosterClient({
      baseUrl: ONEROSTER_BASE_URL,
      auth: { type: 'oauth1', consumerKey: ONEROSTER_KEY, consumerSecret: ONEROSTER_SECRET },
    });
  }
  if (!school) throw new Error('Pass --school <school sourcedId>');

  const out = values.out ? createWriteStream(values.out) : process.stdout;
  const count = await writeActiveTeachersCsv(client, school, out);
  if (out !== process.stdout) out.end();
  console.error(
    `${count} active teachers of ${school}${values.out ? ` written to ${values.out}` : ''}`,
  );
}

if (import.meta.main) {
  await main();
}
