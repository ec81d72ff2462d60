// A new embedded database starts from the template made at npm install, and from initdb when the template is missing or damaged.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openPGlite, templatePath } from './pglite-template.mjs';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const tempDir = async () => {
  const d = await mkdtemp(path.join(tmpdir(), 'c2c-template-'));
  dirs.push(d);
  return d;
};

/**
 * Opens a database in a new folder from `template`, writes a row, reopens it and reads the row back. Also returns the
 * cluster's system identifier, which initdb makes anew each time and a copy of the template keeps.
 */
async function opensAndKeepsData(template: string) {
  const dataDir = path.join(await tempDir(), 'pglite');
  const first = await openPGlite(dataDir, template);
  await first.exec('create table kept (v text); insert into kept values ($$still here$$);');
  const { rows: id } = await first.query<{ id: string }>('select system_identifier::text as id from pg_control_system()');
  await first.close();
  const again = await openPGlite(dataDir, template);
  const { rows } = await again.query<{ v: string }>('select v from kept');
  await again.close();
  return { rows: rows.map((r) => r.v), systemId: id[0]!.id };
}

describe('embedded database template', () => {
  it.skipIf(!existsSync(templatePath()))('starts a new database from the template npm install prepared', async () => {
    const [a, b] = [await opensAndKeepsData(templatePath()), await opensAndKeepsData(templatePath())];
    expect([a.rows, b.rows]).toEqual([['still here'], ['still here']]);
    // Both are copies of one cluster, not two initdb runs.
    expect(a.systemId).toBe(b.systemId);
  });

  it.each([
    ['missing', async () => path.join(await tempDir(), 'no-such-template.tar.gz')],
    ['not gzip at all', async () => {
      const f = path.join(await tempDir(), 'noise.tar.gz');
      await writeFile(f, randomBytes(4096));
      return f;
    }],
    ['a gzip of something else', async () => {
      const f = path.join(await tempDir(), 'other.tar.gz');
      await writeFile(f, gzipSync(Buffer.from('this is not a PostgreSQL cluster\n'.repeat(200))));
      return f;
    }],
    ['cut short', async () => {
      const f = path.join(await tempDir(), 'truncated.tar.gz');
      const whole = existsSync(templatePath()) ? await readFile(templatePath()) : gzipSync(randomBytes(64 * 1024));
      await writeFile(f, whole.subarray(0, Math.floor(whole.length / 2)));
      return f;
    }],
  ])('falls back to initdb when the template is %s, and the database works', async (_what, makeTemplate) => {
    const opened = await opensAndKeepsData(await makeTemplate());
    expect(opened.rows).toEqual(['still here']);
    if (existsSync(templatePath())) expect(opened.systemId).not.toBe((await opensAndKeepsData(templatePath())).systemId);
  }, 60_000);
});
