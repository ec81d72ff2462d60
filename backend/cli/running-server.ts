// How the admin commands (npm run agent:role, webhooks:add, numbers:add…) reach the running server: over its HTTP API
// on this machine, with the admin token derived from DATA_DIR's secrets, because the embedded database has one user
// at a time and the server holds it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ADMIN_CLI_ORGANIZATION_HEADER, ADMIN_CLI_TOKEN_HEADER, adminCliToken } from '../admin/admin-cli-token.js';
import { ConfigError, type AppConfig } from '../config.js';

export class AdminCommandError extends Error {
  override name = 'AdminCommandError';
}

export interface RunningServer {
  url: string;
  token: string;
}

/** The server this machine runs with this configuration: SERVER_URL, or the loopback address of PORT. */
export async function runningServer(config: AppConfig, env: Record<string, string | undefined> = process.env): Promise<RunningServer> {
  const secretsFile = path.resolve(config.dataDir, 'secrets.json');
  let jwtSecret: unknown;
  try {
    jwtSecret = (JSON.parse(await readFile(secretsFile, 'utf8')) as { jwtSecret?: unknown }).jwtSecret;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(
      missing
        ? `There is no ${secretsFile}: start the server once (npm start) with the same DATA_DIR, then run this again.`
        : `${secretsFile} could not be read (${error instanceof Error ? error.message : String(error)}). Run this as the user the server runs as.`,
    );
  }
  if (typeof jwtSecret !== 'string') throw new ConfigError(`${secretsFile} is damaged: it has no jwtSecret.`);
  const url = (env.SERVER_URL ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  return { url, token: adminCliToken(jwtSecret) };
}

/** One admin request for the organization named `organization`; the answer's JSON, or an AdminCommandError with the server's sentence. */
export async function adminRequest<T>(server: RunningServer, organization: string, method: string, pathname: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${server.url}${pathname}`, {
      method,
      headers: {
        [ADMIN_CLI_TOKEN_HEADER]: server.token,
        [ADMIN_CLI_ORGANIZATION_HEADER]: organization,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new AdminCommandError(`The server is not answering at ${server.url} (${error instanceof Error ? error.message : String(error)}). Start it with npm start (or set SERVER_URL), then run this again.`);
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: answered below with the status.
  }
  if (!response.ok) {
    const message = (json as { error?: { message?: unknown } } | null)?.error?.message;
    throw new AdminCommandError(typeof message === 'string' ? message : `The server answered ${response.status} ${response.statusText} to ${method} ${pathname}.`);
  }
  return json as T;
}

/** Runs a command's main, printing its error as one sentence and exiting 1. */
export function runAdminCommand(main: () => Promise<void>) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
