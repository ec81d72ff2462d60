// Test helper: one local "Supabase project" URL serving /rest/v1/rpc (over a real database) and /auth/v1 (GoTrue-compatible) over HTTP.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { SqlClient } from '../../../backend/db/sql-client.js';
import { goTrueApp, type GoTrueRoutes } from './gotrue-fake.js';
import { postgrestRpcApp, type RpcRequestLog } from './postgrest-rpc-server.js';
import { projectKeys, type ProjectKeys } from './supabase-keys.js';

export interface SupabaseFake {
  url: string;
  keys: ProjectKeys;
  auth: Omit<GoTrueRoutes, 'app'>;
  rpcRequests: RpcRequestLog[];
  /** Creates the user in auth.users (as Supabase Auth would) with a password it accepts; returns the id. */
  addUser(email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

export interface SupabaseFakeOptions {
  /** The project's minimum password length for users created through the Auth admin API (GoTrue's default is 6). */
  passwordMinLength?: number;
}

export async function startSupabaseFake(db: SqlClient, options: SupabaseFakeOptions = {}): Promise<SupabaseFake> {
  const keys = await projectKeys();
  let url = '';
  const rpc = postgrestRpcApp({ db, jwtSecret: keys.jwtSecret });
  const { app: authApp, ...auth } = await goTrueApp(
    {
      signing: { alg: 'HS256', secret: keys.jwtSecret },
      apiKeys: [keys.anonKey, keys.serviceRoleKey],
      passwordMinLength: options.passwordMinLength,
      // Supabase Auth writes its users to auth.users in the project's database, which voip_users references.
      onCreateUser: async ({ id, email }) => {
        await db.query('insert into auth.users (id, email) values ($1, $2)', [id, email]);
      },
    },
    () => url,
  );
  const app = new Hono().route('/', rpc.app).route('/', authApp);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    keys,
    auth,
    rpcRequests: rpc.requests,
    async addUser(email, password) {
      const { rows } = await db.query<{ id: string }>('insert into auth.users (email) values ($1) returning id', [email]);
      auth.addUser({ id: rows[0]!.id, email, password });
      return rows[0]!.id;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) (server as { closeAllConnections(): void }).closeAllConnections();
      }),
  };
}
