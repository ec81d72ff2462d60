// Test helper: a Supabase project's JWT secret and API keys, signed the way Supabase signs its legacy anon/service_role keys.
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

export interface ProjectKeys {
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
}

export async function projectKeys(ref = 'testproject'): Promise<ProjectKeys> {
  const jwtSecret = randomBytes(32).toString('base64url');
  const key = new TextEncoder().encode(jwtSecret);
  const sign = (role: string) =>
    new SignJWT({ iss: 'supabase', ref, role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('10y')
      .sign(key);
  return { jwtSecret, anonKey: await sign('anon'), serviceRoleKey: await sign('service_role') };
}
