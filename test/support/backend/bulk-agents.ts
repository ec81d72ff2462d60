// Adds many agents to an embedded database at once (one password hash for all), for load and crash tests.
import { hashPassword } from '../../../backend/auth/password-hash.js';
import { openEmbeddedDatabase } from '../../../backend/db/embedded-database.js';
import { createSqlCallStore } from '../../../backend/store/sql-call-store.js';

/** Creates `count` agents in organizations of `perOrganization`, in DATA_DIR's database (which must not be open elsewhere); returns their ids. */
export async function addBulkAgents(dataDir: string, count: number, options: { password: string; perOrganization?: number; prefix?: string }): Promise<string[]> {
  const db = await openEmbeddedDatabase(dataDir);
  try {
    const store = createSqlCallStore(db);
    const hash = await hashPassword(options.password);
    const prefix = options.prefix ?? 'agent';
    const { rows } = await db.query<{ id: string }>(
      `insert into auth.users (email, encrypted_password) select $3 || i || '@bulk.test', $1 from generate_series(1, $2) i order by i returning id`,
      [hash, count, prefix],
    );
    const per = options.perOrganization ?? 50;
    for (const [i, r] of rows.entries()) {
      await store.upsertAgent({ userId: r.id, email: `${prefix}${i + 1}@bulk.test`, displayName: `Agent ${i + 1}`, organizationName: `${prefix} team ${Math.floor(i / per) + 1}` });
    }
    return rows.map((r) => r.id);
  } finally {
    await db.close();
  }
}
