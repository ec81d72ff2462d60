// The token the server's own command line (npm run agent:role, webhooks:add, numbers:add…) shows the running server.
// Derived from the JWT secret in DATA_DIR/secrets.json (mode 0600), so only whoever can read that file can use it, it
// survives restarts, and no second secret file is needed.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const ADMIN_CLI_TOKEN_HEADER = 'x-admin-cli-token';
/** The organization (by name) a command-line request acts on. */
export const ADMIN_CLI_ORGANIZATION_HEADER = 'x-admin-organization';

export function adminCliToken(jwtSecret: string): string {
  return createHmac('sha256', jwtSecret).update('click-to-call admin command line v1').digest('base64url');
}

export function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
