// Secrets the embedded mode generates once and keeps in DATA_DIR: the JWT key and the simulated Twilio credentials.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const secretsSchema = z.object({
  jwtSecret: z.string().min(32),
  simAccountSid: z.string().regex(/^AC[0-9a-f]{32}$/),
  simAuthToken: z.string().regex(/^[0-9a-f]{32}$/),
  simApiKey: z.string().regex(/^SK[0-9a-f]{32}$/),
  simApiSecret: z.string().min(32),
  simTwimlAppSid: z.string().regex(/^AP[0-9a-f]{32}$/),
});
export type LocalSecrets = z.infer<typeof secretsSchema>;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export function generateSecrets(): LocalSecrets {
  return {
    jwtSecret: randomBytes(48).toString('base64url'),
    simAccountSid: `AC${hex(16)}`,
    simAuthToken: hex(16),
    simApiKey: `SK${hex(16)}`,
    simApiSecret: randomBytes(32).toString('base64url'),
    simTwimlAppSid: `AP${hex(16)}`,
  };
}

/** Reads DATA_DIR/secrets.json, creating it (mode 0600) on first start. */
export async function loadOrCreateSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = path.resolve(dataDir, 'secrets.json');
  try {
    return secretsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${file} is unreadable or damaged; move it away to generate new secrets (signed-in agents will have to sign in again).`, { cause: error });
    }
  }
  const secrets = generateSecrets();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
