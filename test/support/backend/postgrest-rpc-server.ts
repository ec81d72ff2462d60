// Test helper: a PostgREST-compatible POST /rest/v1/rpc/:fn over a real database, standing in for Supabase's Data API.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { jwtVerify } from 'jose';
import type { PostgresClient } from '../../../backend/db/postgres-client.js';
import type { SqlClient } from '../../../backend/db/sql-client.js';

type Query = <T>(sql: string, params?: unknown[]) => Promise<{ rows: T[] }>;

export interface RpcServerOptions {
  db: SqlClient;
  /** Signs the project's JWTs (the legacy anon/service_role keys and users' access tokens). */
  jwtSecret: string;
  /** Opaque API keys (`sb_secret_…`) and the role each stands for, as Supabase's gateway maps them. */
  opaqueKeys?: Record<string, string>;
}

export interface RpcRequestLog {
  fn: string;
  role: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface RpcServer {
  /** The project URL to give createClient (…/rest/v1 is appended by supabase-js). */
  url: string;
  /** Every request received, in order, to assert what the client sent. */
  requests: RpcRequestLog[];
  close(): Promise<void>;
}

interface FunctionInfo {
  argNames: string[];
  returnsSet: boolean;
}

const ident = (name: string) => /^[a-z_][a-z0-9_]*$/.test(name);

/** One session per request, in a transaction: a pool connection on a server, or the embedded database one at a time. */
function sessions(db: SqlClient): <T>(fn: (q: Query) => Promise<T>) => Promise<T> {
  const pool = (db as Partial<PostgresClient>).pool;
  if (pool) {
    return async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(async <T>(sql: string, params: unknown[] = []) => ({ rows: (await client.query(sql, params)).rows as T[] }));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    };
  }
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(async () => {
      await db.exec('begin');
      try {
        const result = await fn((sql, params) => db.query(sql, params));
        await db.exec('commit');
        return result;
      } catch (error) {
        await db.exec('rollback').catch(() => undefined);
        throw error;
      }
    });
    tail = run.catch(() => undefined);
    return run;
  };
}

const pgrstError = (code: string, message: string, details: string | null = null, hint: string | null = null) => ({ code, message, details, hint });

/** The routes alone, to mount beside others (see supabase-fake.ts). */
export function postgrestRpcApp(options: RpcServerOptions): { app: Hono; requests: RpcRequestLog[] } {
  const secret = new TextEncoder().encode(options.jwtSecret);
  const inSession = sessions(options.db);
  const requests: RpcRequestLog[] = [];

  async function roleOf(apikey: string | undefined, authorization: string | undefined): Promise<{ role: string; claims: Record<string, unknown> } | null> {
    const bearer = authorization?.match(/^Bearer (\S+)$/)?.[1];
    if (!apikey || !bearer) return null;
    if (options.opaqueKeys?.[apikey]) {
      if (bearer === apikey) return { role: options.opaqueKeys[apikey]!, claims: { role: options.opaqueKeys[apikey] } };
    } else {
      // A legacy key is itself a JWT of the project.
      try {
        await jwtVerify(apikey, secret, { algorithms: ['HS256'] });
      } catch {
        return null;
      }
    }
    try {
      const { payload } = await jwtVerify(bearer, secret, { algorithms: ['HS256'] });
      return typeof payload.role === 'string' ? { role: payload.role, claims: payload as Record<string, unknown> } : null;
    } catch {
      return null;
    }
  }

  async function describe(q: Query, fn: string): Promise<FunctionInfo | null> {
    const { rows } = await q<{ argnames: string[] | null; proretset: boolean }>(
      `select p.proargnames as argnames, p.proretset from pg_proc p where p.pronamespace = 'public'::regnamespace and p.proname = $1`,
      [fn],
    );
    if (rows.length !== 1) return null;
    return { argNames: rows[0]!.argnames ?? [], returnsSet: rows[0]!.proretset };
  }

  const app = new Hono().post('/rest/v1/rpc/:fn', async (c) => {
    const fn = c.req.param('fn');
    const headers = Object.fromEntries(c.req.raw.headers.entries());
    const body: unknown = await c.req.json().catch(() => undefined);
    const auth = await roleOf(c.req.header('apikey'), c.req.header('authorization'));
    requests.push({ fn, role: auth?.role ?? 'none', headers, body });
    if (!auth) return c.json({ message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' }, 401);
    const profile = c.req.header('content-profile');
    if (profile && profile !== 'public') return c.json(pgrstError('PGRST106', 'The schema must be one of the following: public'), 406);
    if (!c.req.header('content-type')?.startsWith('application/json') || typeof body !== 'object' || body === null || Array.isArray(body)) {
      return c.json(pgrstError('PGRST102', 'Invalid body: expected a JSON object of named arguments'), 400);
    }
    const args = body as Record<string, unknown>;
    if (!ident(fn) || !Object.keys(args).every(ident) || !ident(auth.role)) {
      return c.json(pgrstError('PGRST202', `Could not find the function public.${fn} in the schema cache`), 404);
    }
    try {
      const result = await inSession(async (q) => {
        const info = await describe(q, fn);
        const given = Object.keys(args).sort();
        if (!info || info.argNames.slice().sort().join() !== given.join()) return { missing: true as const };
        // As PostgREST does per request: the JWT's claims for auth.uid()/auth.jwt(), then its role.
        await q(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(auth.claims)]);
        await q(`set local role ${auth.role}`);
        const named = given.map((name, i) => `${name} => $${i + 1}`).join(', ');
        const params = given.map((name) => {
          const v = args[name];
          return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
        });
        const { rows } = await q<{ j: unknown }>(`select to_jsonb(f) as j from public.${fn}(${named}) as f`, params);
        return { missing: false as const, data: info.returnsSet ? rows.map((r) => r.j) : (rows[0]?.j ?? null) };
      });
      if (result.missing) {
        return c.json(
          pgrstError('PGRST202', `Could not find the function public.${fn}(${Object.keys(args).sort().join(', ')}) in the schema cache`),
          404,
        );
      }
      return c.json(result.data as object);
    } catch (error) {
      const e = error as { code?: string; message?: string; detail?: string; hint?: string };
      // As PostgREST maps SQLSTATEs: insufficient privilege is 401 for anon and 403 otherwise, most others 400.
      const status = e.code === '42501' ? (auth.role === 'anon' ? 401 : 403) : e.code === '23505' ? 409 : 400;
      return c.json(pgrstError(e.code ?? 'XX000', e.message ?? String(error), e.detail ?? null, e.hint ?? null), status);
    }
  });
  return { app, requests };
}

export async function startPostgrestRpcServer(options: RpcServerOptions): Promise<RpcServer> {
  const { app, requests } = postgrestRpcApp(options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
