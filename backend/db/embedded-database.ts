// Opens the embedded PostgreSQL (PGlite) in DATA_DIR and brings its schema up to date.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations, type MigrationResult } from './migrate.js';
import type { SqlClient } from './sql-client.js';

export interface EmbeddedDatabase extends SqlClient {
  migrations: MigrationResult;
}

/** `dataDir` null keeps everything in memory (tests); otherwise data survives restarts. */
export async function openEmbeddedDatabase(dataDir: string | null): Promise<EmbeddedDatabase> {
  let dir: string | undefined;
  if (dataDir) {
    dir = path.resolve(dataDir, 'pglite');
    await mkdir(dir, { recursive: true });
  }
  const pg = await PGlite.create(dir ? { dataDir: dir } : {});
  const client: SqlClient = {
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await pg.query<T>(sql, params);
      return { rows: r.rows };
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
    async close() {
      await pg.close();
    },
  };
  const migrations = await applyMigrations(client);
  return { ...client, migrations };
}
