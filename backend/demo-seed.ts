// First start of an empty embedded database: organization "Demo" and agent demo@example.com.
import { randomBytes } from 'node:crypto';
import { addEmbeddedAgent } from './auth/embedded-auth.js';
import type { SqlClient } from './db/sql-client.js';
import type { CallStore } from './store/call-store.js';

const DEMO_EMAIL = 'demo@example.com';

/** Returns the password when it created the agent (so it can be printed once), null when agents already exist. */
export async function seedDemoAgent(db: SqlClient, store: CallStore, demoPassword: string | undefined): Promise<{ email: string; password: string; generated: boolean } | null> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from public.voip_users');
  if ((rows[0]?.n ?? 0) > 0) return null;
  const password = demoPassword ?? randomBytes(9).toString('base64url');
  await addEmbeddedAgent(db, store, { email: DEMO_EMAIL, password, displayName: 'Demo Agent', organizationName: 'Demo' });
  // The demo's only agent administers its organization (outcomes, webhooks, phone numbers).
  await db.query(`update public.voip_users set role = 'admin' where email = $1`, [DEMO_EMAIL]);
  return { email: DEMO_EMAIL, password, generated: demoPassword === undefined };
}
