// The minimal SQL surface the backend needs, so the same store code runs on PGlite and on a PostgreSQL server.
export interface SqlClient {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs one or more statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
