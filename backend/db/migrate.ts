// Applies the local auth shim and supabase/migrations/*.sql in order, recording each so a restart applies only new ones.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlClient } from './sql-client.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MIGRATIONS_DIR = path.join(repoRoot, 'supabase/migrations');
const AUTH_SHIM_FILE = path.join(repoRoot, 'supabase/local/auth-shim.sql');

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

/** Migration files sorted by their version prefix, as the Supabase CLI orders them. */
export async function listMigrationFiles(dir = MIGRATIONS_DIR): Promise<string[]> {
  return (await readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
}

export async function applyMigrations(db: SqlClient, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  await db.exec(await readFile(AUTH_SHIM_FILE, 'utf8'));
  // The same bookkeeping table the Supabase CLI keeps, so a project moved to Supabase is recognised.
  await db.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key,
      name text,
      applied_at timestamptz not null default now()
    );`);
  const done = new Set(
    (await db.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).rows.map((r) => r.version),
  );
  const result: MigrationResult = { applied: [], skipped: [] };
  for (const file of await listMigrationFiles(dir)) {
    const [version, ...rest] = file.replace(/\.sql$/, '').split('_');
    if (!version) continue;
    if (done.has(version)) {
      result.skipped.push(file);
      continue;
    }
    const sql = await readFile(path.join(dir, file), 'utf8');
    // One transaction per file: a failing migration leaves nothing half-applied.
    await db.exec(`begin;\n${sql}\n;insert into supabase_migrations.schema_migrations (version, name) values ('${version}', '${rest.join('_').replace(/'/g, "''")}');\ncommit;`).catch(async (error: unknown) => {
      await db.exec('rollback').catch(() => undefined);
      throw new Error(`Migration ${file} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    result.applied.push(file);
  }
  return result;
}
