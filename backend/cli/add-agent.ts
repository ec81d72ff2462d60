// `npm run agent:add -- --email E --password P [--name N] [--org NAME]`: adds an agent (and organization) to the configured database, embedded or Supabase.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { addEmbeddedAgent } from '../auth/embedded-auth.js';
import { ConfigError, loadConfig } from '../config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { openEmbeddedDatabase } from '../db/embedded-database.js';
import { createSqlCallStore } from '../store/sql-call-store.js';
import { addSupabaseAgent } from './add-supabase-agent.js';

const argsSchema = z.object({
  email: z.email({ message: '--email must be an email address' }),
  password: z.string().min(8, '--password must be at least 8 characters'),
  name: z.string().trim().min(1).max(200).optional(),
  org: z.string().trim().min(1).max(200).default('Demo'),
});

async function main() {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, org: { type: 'string' } },
    strict: true,
  });
  const args = argsSchema.safeParse(values);
  if (!args.success) {
    throw new ConfigError(`${args.error.issues[0]!.message}. Usage: npm run agent:add -- --email agent@example.com --password 'at least 8 characters' [--name "Display Name"] [--org "Organization"]`);
  }
  const config = loadConfig();
  if (config.database.kind === 'supabase') {
    const { message } = await addSupabaseAgent({
      url: config.database.url,
      serviceRoleKey: config.database.serviceRoleKey,
      email: args.data.email,
      password: args.data.password,
      displayName: args.data.name,
      organizationName: args.data.org,
    });
    process.stdout.write(`${message}\n`);
    return;
  }
  const db = await openEmbeddedDatabase(config.dataDir, { lock: { purpose: 'agent:add', waitSeconds: 0 } }).catch((error: unknown) => {
    if (error instanceof DataDirLockedError) throw error;
    throw new ConfigError(`Could not open the database in ${config.dataDir}: ${error instanceof Error ? error.message : String(error)}. Stop the server first: the embedded database has one user at a time.`);
  });
  try {
    const agent = await addEmbeddedAgent(db, createSqlCallStore(db), {
      email: args.data.email,
      password: args.data.password,
      displayName: args.data.name,
      organizationName: args.data.org,
    });
    process.stdout.write(`Agent ${agent.email} (${agent.displayName}) is in organization ${agent.organizationName}. They can sign in now.\n`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
