// SqlClient over a PostgreSQL server (a node-postgres pool), so migrations and the SQL call store run on it unchanged.
import pg from 'pg';
import type { SqlClient } from './sql-client.js';

export interface PostgresClient extends SqlClient {
  readonly pool: pg.Pool;
}

export interface PostgresClientOptions {
  /** Connections in the pool; 1 keeps every statement on one session (transactions spread over several calls). */
  max?: number;
  applicationName?: string;
}

/** A PostgreSQL error (bad SQL, permission denied…) leaves the connection usable; anything else may have broken it. */
const isServerError = (error: unknown): boolean => error instanceof pg.DatabaseError;

export function createPostgresClient(connectionString: string, options: PostgresClientOptions = {}): PostgresClient {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'click-to-call',
    idleTimeoutMillis: 30_000,
  });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);

  async function withConnection<T>(fn: (client: pg.PoolClient) => Promise<T>, discardOnAnyError: boolean): Promise<T> {
    const client = await pool.connect();
    try {
      const result = await fn(client);
      client.release();
      return result;
    } catch (error) {
      client.release(discardOnAnyError || !isServerError(error) ? (error as Error) : undefined);
      throw error;
    }
  }

  return {
    pool,
    async query<T>(sql: string, params: unknown[] = []) {
      return withConnection(async (c) => ({ rows: (await c.query(sql, params)).rows as T[] }), false);
    },
    async exec(sql: string) {
      // Several statements in one simple query; a failure inside a `begin` block would leave the session in an
      // aborted transaction, so that connection is discarded rather than returned to the pool.
      await withConnection(async (c) => void (await c.query(sql)), true);
    },
    async close() {
      await pool.end();
    },
  };
}
