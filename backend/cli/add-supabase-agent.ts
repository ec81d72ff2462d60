// Adds an agent on Supabase: the Auth user through the admin API (an existing one is kept as it is), then the agent row through upsert_agent.
import { isAuthApiError, isAuthRetryableFetchError, isAuthWeakPasswordError, type SupabaseClient, type User } from '@supabase/supabase-js';
import { z } from 'zod';
import type { StoredAgent } from '../store/call-store.js';
import { createSupabaseCallStore, SupabaseStoreError } from '../store/supabase-call-store.js';
import { createServiceClient } from '../supabase/service-client.js';

export interface SupabaseAgentInput {
  /** The project URL (SUPABASE_URL). */
  url: string;
  /** The service-role or secret key; it is sent to Supabase and never written into a message. */
  serviceRoleKey: string;
  email: string;
  /** Used only when the Auth user is created here. */
  password: string;
  displayName?: string;
  organizationName: string;
  /** Users per page while looking for an existing Auth user (GoTrue allows at most 1000). */
  pageSize?: number;
}

export interface SupabaseAgentResult {
  agent: StoredAgent;
  /** 'existing': the email already had a Supabase Auth user, whose password was left unchanged. */
  authUser: 'created' | 'existing';
  /** The line to show the admin. */
  message: string;
}

/** A failure in words the admin can act on. It never contains the key. */
export class SupabaseAgentError extends Error {
  override name = 'SupabaseAgentError';
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const MAX_PAGE_SIZE = 1000;
/** A stop for a server that ignores paging (1,000,000 users at the largest page size). */
const MAX_PAGES = 1000;

const nameField = z.string().trim().min(1).max(200).optional().catch(undefined);
/** The names Supabase's dashboard and common sign-up flows keep in user_metadata. */
const metadataNames = z.object({ display_name: nameField, full_name: nameField, name: nameField }).catch({});

/** Supabase's messages often end with a full stop; ours add their own. */
const clause = (text: string) => text.trim().replace(/\.+$/, '');

export async function addSupabaseAgent(input: SupabaseAgentInput): Promise<SupabaseAgentResult> {
  const email = input.email.trim().toLowerCase();
  const client = createServiceClient(input.url, input.serviceRoleKey);
  // Not closed afterwards: it opens no Realtime channel, and store.close() (removeAllChannels) would start realtime-js's
  // 10-second disconnect timer, which holds the command open.
  const store = createSupabaseCallStore(client);
  // The database side first (reachable, key accepted, migrations applied): a failure there then leaves no Auth user behind.
  await store.getAgent(NIL_UUID).catch((error: unknown) => {
    throw databaseError(input.url, error);
  });
  const { user, created } = await findOrCreateAuthUser(client, input, email);
  const existingAgent = created ? null : await store.getAgent(user.id).catch(() => null);
  const metadata = metadataNames.parse(user.user_metadata);
  const displayName =
    input.displayName?.trim() || existingAgent?.displayName || metadata.display_name || metadata.full_name || metadata.name || email.split('@')[0]!;
  const agent = await store
    .upsertAgent({ userId: user.id, email: user.email?.toLowerCase() ?? email, displayName, organizationName: input.organizationName })
    .catch((error: unknown) => {
      const done = created ? `The Supabase Auth user ${email} was created, but is not an agent yet (run the same command again once this is fixed). ` : '';
      throw databaseError(input.url, error, done);
    });
  const who = `Agent ${agent.email} (${agent.displayName}) is in organization ${agent.organizationName}`;
  const message = created
    ? `${who}, with a new Supabase Auth account. They can sign in now.`
    : `${who}. They already had a Supabase Auth account, whose password was left unchanged: they sign in with the password they already have, not --password.`;
  return { agent, authUser: created ? 'created' : 'existing', message };
}

async function findOrCreateAuthUser(client: SupabaseClient, input: SupabaseAgentInput, email: string): Promise<{ user: User; created: boolean }> {
  const displayName = input.displayName?.trim();
  const { data, error } = await client.auth.admin.createUser({
    email,
    password: input.password,
    email_confirm: true,
    ...(displayName ? { user_metadata: { display_name: displayName } } : {}),
  });
  if (!error) return { user: data.user, created: true };
  // Older GoTrue versions answer a taken email with 422 and the message alone, without the email_exists code.
  const taken = error.code === 'email_exists' || (isAuthApiError(error) && error.status === 422 && /already been registered/i.test(error.message));
  if (!taken) throw authError(input.url, email, error);
  // The user may sign in to other apps of this project with a password of their own choosing, so agent:add does not
  // change it (unlike the embedded mode, where agent:add is also how a password is reset); the dashboard resets passwords.
  const user = await findAuthUser(client, input, email);
  if (!user) {
    throw new SupabaseAgentError(
      `Supabase Auth at ${input.url} says ${email} is already registered, but that user is not in its user list. Check Authentication → Users in the Supabase dashboard, then run the command again.`,
    );
  }
  return { user, created: false };
}

/** GoTrue's admin API has no lookup by email: page through the users (newest first) until the email turns up. */
async function findAuthUser(client: SupabaseClient, input: SupabaseAgentInput, email: string): Promise<User | null> {
  const perPage = Math.min(Math.max(input.pageSize ?? MAX_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data, error } = await client.auth.admin.listUsers({ page, perPage });
    if (error) throw authError(input.url, email, error);
    const found = data.users.find((u) => u.email?.toLowerCase() === email);
    if (found) return found;
    // A short page is the last; supabase-js reads `total` from X-Total-Count (0 when absent).
    if (data.users.length < perPage || ('total' in data && data.total > 0 && page * perPage >= data.total)) return null;
  }
  return null;
}

const unreachable = (url: string, detail: string) =>
  new SupabaseAgentError(`Supabase at ${url} could not be reached (${clause(detail)}). Check SUPABASE_URL, and that this machine can reach it.`);

const keyRefused = (url: string, detail: string) =>
  new SupabaseAgentError(
    `Supabase at ${url} refused SUPABASE_SERVICE_ROLE_KEY (${clause(detail)}). Copy this project's service_role key or a secret key (sb_secret_…) from Project Settings → API Keys in the Supabase dashboard.`,
  );

const notServiceRole = (url: string, detail: string) =>
  new SupabaseAgentError(
    `Supabase at ${url} accepted SUPABASE_SERVICE_ROLE_KEY but not as the service-role key (${clause(detail)}): it looks like the anon or publishable key. Use the service_role key or a secret key (sb_secret_…) from Project Settings → API Keys.`,
  );

/** A failed rpc (through the Supabase call store), in words. */
function databaseError(url: string, error: unknown, done = ''): SupabaseAgentError {
  const code = error instanceof SupabaseStoreError ? error.code : undefined;
  const detail = error instanceof Error ? error.message.replace(/^The database call \w+ failed(?: \([^)]*\))?: /, '') : String(error);
  let e: SupabaseAgentError;
  if (/invalid api key/i.test(detail) || code?.startsWith('PGRST30')) e = keyRefused(url, detail);
  else if (code === '42501') e = notServiceRole(url, `${code} ${detail}`);
  else if (code === 'PGRST202') {
    e = new SupabaseAgentError(
      `Supabase at ${url} does not have this project's SQL functions (${code}). Apply the migrations in supabase/migrations (docs/deploy.md, step 2), then run the command again.`,
    );
  } else if (!code && /fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|timeout|aborted/i.test(detail)) e = unreachable(url, detail);
  else e = new SupabaseAgentError(`Supabase at ${url} refused the database call (${code ? `${code} ` : ''}${clause(detail)}).`);
  return done ? new SupabaseAgentError(done + e.message, { cause: error }) : e;
}

/** A failed Supabase Auth admin call, in words. */
function authError(url: string, email: string, error: Error & { status?: number; code?: string }): SupabaseAgentError {
  if (isAuthWeakPasswordError(error)) {
    return new SupabaseAgentError(
      `Supabase refused the password for ${email}: ${clause(error.message)}. Choose a stronger --password; this project's password rules are in the Supabase dashboard under Authentication.`,
    );
  }
  if (isAuthRetryableFetchError(error)) {
    return error.status
      ? new SupabaseAgentError(`Supabase Auth at ${url} is not answering properly (HTTP ${error.status}: ${clause(error.message)}). Try again in a moment.`)
      : unreachable(url, error.message);
  }
  if (isAuthApiError(error)) {
    if (/invalid api key/i.test(error.message)) return keyRefused(url, error.message);
    if (error.code === 'not_admin' || error.code === 'bad_jwt' || error.status === 401 || error.status === 403) {
      return notServiceRole(url, `Supabase Auth: ${error.message}`);
    }
    if (error.code === 'email_address_invalid' || error.code === 'validation_failed') {
      return new SupabaseAgentError(`Supabase refused the email address ${email}: ${clause(error.message)}. Check --email.`);
    }
    if (error.status === 429) return new SupabaseAgentError(`Supabase Auth at ${url} is limiting requests (${clause(error.message)}). Try again in a minute.`);
  }
  return new SupabaseAgentError(`Supabase Auth at ${url} refused to add ${email} (${error.code ? `${error.code}: ` : ''}${clause(error.message)}).`);
}
