// Test helper: the databases a suite runs on — the embedded PGlite and, where installed, a real PostgreSQL 15 server.
import { whenTestFileEnds } from '../test-file-cleanup.js';
import { openEmbeddedDatabase } from '../../../backend/db/embedded-database.js';
import type { PostgresClientOptions } from '../../../backend/db/postgres-client.js';
import type { SqlClient } from '../../../backend/db/sql-client.js';
import { postgresAvailable, startPostgresServer, type PostgresServer } from './postgres-server.js';

export interface DatabaseTarget {
  name: string;
  /** True when the target cannot run here (PostgreSQL 15 not installed, and not required). */
  skip: boolean;
  /** A fresh database with every migration applied; the caller closes it. */
  open(options?: PostgresClientOptions): Promise<{ db: SqlClient; url: string | null }>;
}

let server: Promise<PostgresServer> | null = null;
let available: boolean | null = null;

/** One PostgreSQL 15 server per test file, started on first use and stopped when the file's tests are done. */
export function sharedPostgresServer(): Promise<PostgresServer> {
  if (!server) {
    const started = startPostgresServer();
    server = started;
    // Test files are isolated module graphs: this is the server of the file that started it.
    whenTestFileEnds(async () => {
      if (server === started) server = null;
      await (await started).stop();
    });
  }
  return server;
}

export function isPostgresAvailable(): boolean {
  available ??= postgresAvailable();
  return available;
}

export const embeddedTarget: DatabaseTarget = {
  name: 'embedded PGlite',
  skip: false,
  async open() {
    return { db: await openEmbeddedDatabase(null), url: null };
  },
};

export function postgresTarget(): DatabaseTarget {
  return {
    name: 'PostgreSQL 15',
    skip: !isPostgresAvailable(),
    async open(options) {
      return (await sharedPostgresServer()).migratedDatabase(options);
    },
  };
}

export function sqlDatabaseTargets(): DatabaseTarget[] {
  return [embeddedTarget, postgresTarget()];
}
