import fs from 'node:fs';
import path from 'node:path';
import { createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, errors as joseErrors, type JWK, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { auth as authConfig } from './config';
import { unauthenticated } from './errors';
import { logger } from './logger';

export const roles = ['region_admin', 'municipality_methodist', 'organization_admin', 'educator', 'analyst', 'integration'] as const;
export type Role = (typeof roles)[number];

/** Who is asking, as the token says. `anonymous` when no token came. */
export interface Viewer {
  role: Role | 'anonymous';
  subject?: string;
  municipalityId?: string;
  organizationId?: string;
  educatorId?: string;
}

export const anonymous: Viewer = { role: 'anonymous' };

// Any 8-4-4-4-12 hex id, as PostgreSQL's uuid type takes it (z.uuid() would insist on RFC version bits).
const uuid = z.guid();
/** The scope claim each role cannot do without (a token without it is refused). */
export const requiredClaim: Partial<Record<Role, 'municipality_id' | 'organization_id' | 'educator_id'>> = {
  municipality_methodist: 'municipality_id', integration: 'municipality_id',
  organization_admin: 'organization_id', educator: 'educator_id',
};
/** Whether a value is an id as the claims take it. */
export const isClaimId = (value: string) => uuid.safeParse(value).success;
/** Our claims, and which scope claim each role cannot do without. */
const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(roles),
  municipality_id: uuid.optional(),
  organization_id: uuid.optional(),
  educator_id: uuid.optional(),
}).superRefine((claims, ctx) => {
  const claim = requiredClaim[claims.role];
  if (claim && !claims[claim]) ctx.addIssue({ code: 'custom', message: `role ${claims.role} needs the claim ${claim}` });
});

interface DevKey { privateJwk: JWK; publicJwk: JWK }

/** The embedded run's signing key: made once, kept under .data/ so tokens survive restarts. */
export async function ensureDevKey(file = authConfig.devKeyFile): Promise<DevKey> {
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as DevKey;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `dev-${Date.now().toString(36)}`;
  const key: DevKey = {
    privateJwk: { ...(await exportJWK(privateKey)), alg: 'ES256', kid },
    publicJwk: { ...(await exportJWK(publicKey)), alg: 'ES256', kid },
  };
  return JSON.parse(writeOnce(file, JSON.stringify(key, null, 2))) as DevKey;
}

/**
 * Writes a dev secret to `file` unless it exists, and returns the file's content. Written whole under another name,
 * then linked into place: exactly one of several processes starting at once wins, and the others (EEXIST) read the
 * winner's content instead of overwriting it.
 */
export function writeOnce(file: string, content: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const scratch = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(scratch, content, { mode: 0o600 });
  try {
    fs.linkSync(scratch, file);
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fs.readFileSync(file, 'utf8');
  } finally {
    fs.rmSync(scratch, { force: true });
  }
}

/**
 * At a service's start: without an identity provider (AUTH_JWKS_URL), make sure the dev key exists, so that the
 * first token verified does not find it missing (docker compose shares it between the services in a volume).
 */
export async function prepareTokenVerification(): Promise<void> {
  if (authConfig.jwksUrl) return;
  // npm start runs five services: only the gateway says it (the others get MMS_DEV_KEY_WARNED=1).
  if (process.env.MMS_DEV_KEY_WARNED !== '1') logger.warn({ file: authConfig.devKeyFile }, 'AUTH_JWKS_URL is not set: tokens are verified with the dev signing key');
  await ensureDevKey();
}

export interface VerifierOptions {
  /** The identity provider's key set (production); keys are fetched, cached and refetched for an unknown `kid`. */
  jwksUrl?: string;
  /** Without a JWKS URL: the dev key file of the embedded run. */
  devKeyFile: string;
  issuer: string;
  audience: string;
}

/** Builds the function that reads `Authorization: Bearer …` into a Viewer under the given key source and claims. */
export function createTokenVerifier(options: VerifierOptions): (authorization: string | undefined | null) => Promise<Viewer> {
  let keySet: JWTVerifyGetKey | undefined;
  const keys = (): JWTVerifyGetKey => {
    if (keySet) return keySet;
    if (options.jwksUrl) {
      keySet = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    } else {
      if (!fs.existsSync(options.devKeyFile)) throw new Error(`no AUTH_JWKS_URL and no dev key at ${options.devKeyFile}`);
      const { publicJwk } = JSON.parse(fs.readFileSync(options.devKeyFile, 'utf8')) as DevKey;
      keySet = createLocalJWKSet({ keys: [publicJwk] });
    }
    return keySet;
  };
  const verified = new VerifiedTokens();
  return async (authorization) => {
    if (!authorization) return anonymous;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    const known = verified.get(match[1]);
    if (known) return known;
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(match[1], keys(), {
        issuer: options.issuer, audience: options.audience, algorithms: ['ES256', 'RS256', 'EdDSA'],
        // A token without an expiry would be valid forever.
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw unauthenticated(`invalid token: ${describeJoseError(error)}`);
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated(`invalid token claims: ${claims.error.issues.map((i) => i.message).join('; ')}`);
    const c = claims.data;
    const viewer: Viewer = { role: c.role, subject: c.sub, municipalityId: c.municipality_id, organizationId: c.organization_id, educatorId: c.educator_id };
    verified.set(match[1], viewer, (payload as { exp: number }).exp * 1000);
    return viewer;
  };
}

/**
 * Tokens already verified, so that a client's next requests (and the gateway's calls to each subgraph, which verify
 * the same token again) skip the signature check: an ES256 verification costs ~0.2 ms of CPU here, paid once per
 * service per request without this. An entry lives until the token expires and at most `ttlMs`, so a key removed
 * from the identity provider's key set stops being honoured within a minute; failures are never remembered.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { viewer: Viewer; until: number }>();
  constructor(private readonly maxEntries = 10_000, private readonly ttlMs = 60_000) {}

  get(token: string): Viewer | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.viewer;
    this.entries.delete(token);
    return undefined;
  }

  set(token: string, viewer: Viewer, expiresAt: number): void {
    // Oldest first out: a Map iterates in insertion order.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { viewer: Object.freeze(viewer), until: Math.min(expiresAt, Date.now() + this.ttlMs) });
  }
}

let verifier: ReturnType<typeof createTokenVerifier> | undefined;

/** Reads the `Authorization: Bearer …` header into a Viewer; a bad token is UNAUTHENTICATED, never anonymous. */
export function authenticate(authorization: string | undefined | null): Promise<Viewer> {
  verifier ??= createTokenVerifier(authConfig);
  return verifier(authorization);
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim ${error.claim} ${error.reason}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature does not verify';
  if (error instanceof joseErrors.JOSEError) return error.code;
  return 'cannot be read';
}

export interface TokenRequest {
  role: Role;
  subject?: string;
  municipalityId?: string;
  organizationId?: string;
  educatorId?: string;
  expiresIn?: string;
}

/** Mints a token with the dev key (npm start, npm run token, tests). */
export async function mintDevToken(request: TokenRequest, file = authConfig.devKeyFile): Promise<string> {
  const { privateJwk } = await ensureDevKey(file);
  const key = await importJWK(privateJwk, 'ES256');
  const claims: Record<string, string> = { role: request.role };
  if (request.municipalityId) claims.municipality_id = request.municipalityId;
  if (request.organizationId) claims.organization_id = request.organizationId;
  if (request.educatorId) claims.educator_id = request.educatorId;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid })
    .setSubject(request.subject ?? `dev-${request.role}`)
    .setIssuer(authConfig.issuer)
    .setAudience(authConfig.audience)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '12h')
    .sign(key);
}
