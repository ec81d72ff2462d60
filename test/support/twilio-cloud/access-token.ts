// Verifies a Voice access token as Twilio's signalling does, answering with the signalling error codes Twilio uses.
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';

export interface TokenCredentials {
  accountSid: string;
  apiKey: string;
  apiSecret: string;
}

export interface VerifiedToken {
  identity: string;
  /** Seconds since the epoch. */
  exp: number;
  iat: number;
  jti: string;
  outgoingApplicationSid: string | null;
}

/** Twilio's signalling codes for a refused token (the SDK turns 31204/31205/31201 into 20101/20104/20151). */
export const TOKEN_CODES = {
  authorization: 31201,
  signature: 31202,
  noAccount: 31203,
  invalid: 31204,
  expired: 31205,
  tooLong: 31207,
} as const;

export class TokenRefused extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

interface TwilioClaims {
  iss?: string;
  sub?: string;
  jti?: string;
  grants?: { identity?: string; voice?: { outgoing?: { application_sid?: string } } };
}

/** The token's claims, or a TokenRefused naming Twilio's code. `now` is in milliseconds. */
export async function verifyVoiceToken(token: string, creds: TokenCredentials, now = Date.now()): Promise<VerifiedToken> {
  let claims: TwilioClaims;
  try {
    if (decodeProtectedHeader(token).alg !== 'HS256') throw new Error('alg');
    claims = decodeJwt(token) as TwilioClaims;
  } catch {
    throw new TokenRefused(TOKEN_CODES.invalid, 'Invalid Access Token');
  }
  // An API key Twilio does not know cannot have signed it: the same answer as a wrong secret.
  if (claims.iss !== creds.apiKey) throw new TokenRefused(TOKEN_CODES.signature, 'JWT signature validation failed');
  let payload: TwilioClaims & { exp?: number; iat?: number };
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(creds.apiSecret), { algorithms: ['HS256'], currentDate: new Date(now) }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) throw new TokenRefused(TOKEN_CODES.signature, 'JWT signature validation failed');
    if (error instanceof errors.JWTExpired) throw new TokenRefused(TOKEN_CODES.expired, 'Access Token expired or expiration date invalid');
    throw new TokenRefused(TOKEN_CODES.invalid, 'Invalid Access Token');
  }
  if (payload.sub !== creds.accountSid) throw new TokenRefused(TOKEN_CODES.noAccount, 'No valid account');
  if (typeof payload.exp !== 'number') throw new TokenRefused(TOKEN_CODES.expired, 'Access Token expired or expiration date invalid');
  const iat = typeof payload.iat === 'number' ? payload.iat : Math.floor(now / 1000);
  if (payload.exp - iat > 24 * 3600) throw new TokenRefused(TOKEN_CODES.tooLong, 'Access Token expiration is too long');
  const identity = payload.grants?.identity;
  const voice = payload.grants?.voice;
  if (!identity || !voice) throw new TokenRefused(TOKEN_CODES.authorization, 'Authorization error: the token has no identity or voice grant');
  return { identity, exp: payload.exp, iat, jti: payload.jti ?? '', outgoingApplicationSid: voice.outgoing?.application_sid ?? null };
}
